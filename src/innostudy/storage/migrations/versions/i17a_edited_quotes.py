"""Edited quotes: pieces joined by ". . ." and [clarifications], and a lead-in (issue 17).

Revision ID: i17a
Revises: i14a
Create Date: 2026-11-27 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i17a"
down_revision: str | None = "i14a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing quotes are unedited: no pieces (one verbatim span) and no lead-in.
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("parts", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("lead_in", sa.Text(), nullable=False, server_default=sa.text("''"))
        )


def downgrade() -> None:
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.drop_column("lead_in")
        batch_op.drop_column("parts")
