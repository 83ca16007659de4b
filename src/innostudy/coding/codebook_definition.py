"""The codebook as one of the study's definitions.

Codes are rows that codings point to, so the codebook lives twice in the database: as
``code`` rows and as revisions of its YAML. The two move together. Adopting a codebook
file brings the rows in step with it (matched by key); a code the file leaves out is
retired, unless codings use it: then the file is refused, since dropping a line of YAML
must never take codings with it (``code merge`` moves them first). Commands that change
codes record the codebook's next revision from the rows (``codebook_changed``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.codebook import CodebookSpec, parse_codebook_text, sync_codebook
from innostudy.coding.codebook_yaml import render_codebook
from innostudy.definitions.adopting import record
from innostudy.definitions.kind import Kind
from innostudy.definitions.reading import read
from innostudy.errors import InputError
from innostudy.model import Code, Codebook, CodeStatus, Coding, DefinitionRevision
from innostudy.wording import counted

if TYPE_CHECKING:
    from innostudy.storage.store import StudyStore


def _follow(session: Session, spec: CodebookSpec, actor: str) -> list[str]:
    book = session.scalar(sa.select(Codebook).order_by(Codebook.id).limit(1))
    keys = {c.key for c in spec.walk()}
    left_out: list[Code] = []
    if book is not None:
        left_out = list(
            session.scalars(
                sa.select(Code).where(
                    Code.codebook_id == book.id,
                    Code.status == CodeStatus.ACTIVE,
                    Code.key.not_in(keys),
                )
            )
        )
    for code in left_out:
        used = session.scalar(sa.select(sa.func.count()).where(Coding.code_id == code.id)) or 0
        if used:
            raise InputError(
                spec.source,
                None,
                "codes",
                f"code '{code.key}' is left out but {counted(used, 'coding')} use it; move them "
                f"with `innostudy code merge {code.key} OTHER_KEY` first, or keep the code",
                unit="line",
            )
    sync_codebook(session, spec, book)
    for code in left_out:
        code.status = CodeStatus.RETIRED
    return [f"retired code '{c.key}' (no codings used it)" for c in left_out]


CODEBOOK: Kind[CodebookSpec] = Kind("codebook", parse_codebook_text, _follow)


def study_codebook_spec(store: StudyStore, session: Session | None = None) -> CodebookSpec:
    """The study's current codebook as its definition says it."""
    return read(store, CODEBOOK, session)


def codebook_changed(session: Session, *, actor: str, source: str) -> DefinitionRevision | None:
    """Record the codebook's next revision from the codes as they now are (same transaction)."""
    return record(session, CODEBOOK.name, render_codebook(session), actor=actor, source=source)
