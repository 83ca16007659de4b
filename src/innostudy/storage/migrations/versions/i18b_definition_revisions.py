"""The study's definitions live in the database with their history (issue 18).

Revision ID: i18b
Revises: i18a
Create Date: 2026-12-01 09:00:00

Creates ``definition_revision`` and, when the upgrade runs from a study folder (always, in
innostudy: on open for SQLite, ``innostudy db upgrade`` for PostgreSQL), reads the
folder's definition files once and stores each as revision 1. The files are stored as
text, unparsed: a data migration must not depend on today's parsers, and a file that
no longer parses is reported when it is first used, like before.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import context, op

revision: str = "i18b"
down_revision: str | None = "i18a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "innostudy db upgrade (i18b)"


def upgrade() -> None:
    table = op.create_table(
        "definition_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definition_revision")),
        sa.UniqueConstraint("name", "number", name=op.f("uq_definition_revision_name_number")),
    )
    files: dict[str, Path] = context.config.attributes.get("definition_files") or {}
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":  # stored as the model's UTCDateTime stores it
        now = now.replace(tzinfo=None)
    rows = [_first_revision(name, path, now) for name, path in files.items() if path.is_file()]
    if rows:
        op.bulk_insert(table, rows)


def _first_revision(name: str, path: Path, now: datetime) -> dict[str, object]:
    # The one reader of text files people edit, and the one rule for a stored body (line
    # ends, stamp lines, final newline): plain text functions, not the model.
    from innostudy.definitions.text import body_of, sha256
    from innostudy.textfiles import read_text

    text = body_of(read_text(path).text)
    return {
        "name": name,
        "number": 1,
        "content": text,
        "sha256": sha256(text),
        "created_at": now,
        "actor": ACTOR,
        "source": str(path),
        "summary": f"read from {path.name} when the database was upgraded",
    }


def downgrade() -> None:
    op.drop_table("definition_revision")
