"""The history of each definition in the database: read it, and add to it one at a time.

Revisions are numbered 1, 2, 3… per definition and never change once written; the
highest number is the one in force. Writers take a lock per definition first (the
SQLite write lock, a PostgreSQL advisory lock), so two people adopting at once are
served one after the other and the second sees the first's revision.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.definitions.text import body_of, sha256
from innostudy.model import DefinitionRevision


def current_revision(session: Session, name: str) -> DefinitionRevision | None:
    return session.scalar(
        sa.select(DefinitionRevision)
        .where(DefinitionRevision.name == name)
        .order_by(DefinitionRevision.number.desc())
        .limit(1)
    )


def revision_number(session: Session, name: str, number: int) -> DefinitionRevision | None:
    return session.scalar(
        sa.select(DefinitionRevision).where(
            DefinitionRevision.name == name, DefinitionRevision.number == number
        )
    )


def history(session: Session, name: str) -> Sequence[DefinitionRevision]:
    """Every revision of ``name``, oldest first."""
    return session.scalars(
        sa.select(DefinitionRevision)
        .where(DefinitionRevision.name == name)
        .order_by(DefinitionRevision.number)
    ).all()


def lock_definition(session: Session, name: str) -> None:
    """Serialise writers of one definition until the transaction ends.

    On SQLite the caller's write session already holds the database's write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"innostudy definition {name}".encode())
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def append_revision(
    session: Session, name: str, text: str, *, actor: str, source: str, summary: str
) -> DefinitionRevision:
    """Store ``text`` as the next revision of ``name`` (the caller holds the lock)."""
    body = body_of(text)
    latest = current_revision(session, name)
    row = DefinitionRevision(
        name=name,
        number=(latest.number + 1) if latest else 1,
        content=body,
        sha256=sha256(body),
        actor=actor[:120],
        source=source[:500],
        summary=summary,
    )
    session.add(row)
    session.flush()
    return row
