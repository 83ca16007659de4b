"""Stances on codings, and the model's stance suggestions (issue 20).

``coding.stance`` is a coder's judgement of how a coded turn stands toward its theme
(new point, agrees, disagrees, qualifies); existing codings have none. Suggestions live
in their own table so that a model's proposal is never mistaken for a person's stance.

Revision ID: i20a
Revises: i18b
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i20a"
down_revision: str | None = "i18b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stance", sa.String(length=16), nullable=True))
    op.create_table(
        "stance_suggestion",
        sa.Column("coding_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("reason", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coding_id"],
            ["coding.id"],
            name=op.f("fk_stance_suggestion_coding_id_coding"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("coding_id", name=op.f("pk_stance_suggestion")),
    )


def downgrade() -> None:
    op.drop_table("stance_suggestion")
    with op.batch_alter_table("coding", schema=None) as batch_op:
        batch_op.drop_column("stance")
