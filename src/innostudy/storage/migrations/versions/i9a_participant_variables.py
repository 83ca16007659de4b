"""Participant case variables brought in from QDA projects (REFI-QDA import, issue 9).

Revision ID: i9a
Revises: 0001
Create Date: 2026-11-26 06:48:12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i9a"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing participants get an empty mapping; the model supplies it for new rows.
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("variables", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("variables")
