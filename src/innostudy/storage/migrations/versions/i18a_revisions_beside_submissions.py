"""Imported versions kept beside a respondent's submission, never applied (issue 18).

Revision ID: i18a
Revises: i17a
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i18a"
down_revision: str | None = "i17a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every existing revision was applied to its response when it was written.
    with op.batch_alter_table("response_revision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("beside_submission", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("response_revision", schema=None) as batch_op:
        batch_op.drop_column("beside_submission")
