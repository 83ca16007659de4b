"""Respondents' own times kept apart from the time of an import; revisions by reference.

``started_at``, ``received_at`` and ``imported_at`` join ``submitted_at`` on ``response``;
``response_revision.answers`` may be NULL on a response's newest revision, meaning "the
answers of the response row" (a bulk import writes them once instead of twice).

Responses imported before this revision keep the import's time as ``submitted_at``
(the file's own times were not read then); ``imported_at`` is filled from
``updated_at`` for them, so the two can be told apart.

Revision ID: i14a
Revises: i8a
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i14a"
down_revision: str | None = "i8a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("received_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("response_revision", schema=None) as batch_op:
        batch_op.alter_column("answers", existing_type=sa.JSON(), nullable=True)
    op.execute("UPDATE response SET imported_at = updated_at WHERE source = 'import'")


def downgrade() -> None:
    op.execute(
        "UPDATE response_revision SET answers = (SELECT r.answers FROM response r "
        "WHERE r.id = response_revision.response_id) WHERE answers IS NULL"
    )
    with op.batch_alter_table("response_revision", schema=None) as batch_op:
        batch_op.alter_column("answers", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("imported_at")
        batch_op.drop_column("received_at")
        batch_op.drop_column("started_at")
