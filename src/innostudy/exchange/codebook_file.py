"""Write the study's codebook back to its YAML file after the database's codebook changed.

The codebook file is the editable source of the codebook (``coding.codebook``); when an
import adds codes, or a codebook command adds, renames, merges or splits them, the file
is rewritten from the database in the full form ``coding.codebook`` reads (keys,
hierarchy, rules, colours), so the two agree. Merged and retired codes are left out
unless a live code still sits below them. The file it replaces is kept beside it as
``<name>.<UTC time>.bak``, since it may hold the analyst's own comments.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from innostudy.atomic import write_atomic
from innostudy.coding.codebook import study_codebook
from innostudy.model import Code, CodeStatus

HEADER = (
    "# Codebook of this study, written by innostudy from the study database after an import\n"
    "# or a codebook command (innostudy code add|rename|merge|split).\n"
    "# Edit freely; codes are matched to the database by key.\n"
)


def codebook_document(session: Session) -> dict[str, Any]:
    book = study_codebook(session)
    rows = session.scalars(
        sa.select(Code).where(Code.codebook_id == book.id).order_by(Code.position, Code.id)
    ).all()
    children: dict[int | None, list[Code]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)

    def live(code: Code) -> bool:
        return code.status is CodeStatus.ACTIVE or any(live(c) for c in children[code.id])

    def entry(code: Code) -> dict[str, Any]:
        out: dict[str, Any] = {"key": code.key, "name": code.name}
        for field in ("description", "include", "exclude"):
            if getattr(code, field):
                out[field] = getattr(code, field)
        if code.examples:
            out["examples"] = list(code.examples)
        if code.colour:
            out["colour"] = code.colour
        below = [c for c in children.get(code.id, []) if live(c)]
        if below:
            out["children"] = [entry(c) for c in below]
        return out

    document: dict[str, Any] = {"name": book.name}
    if book.description:
        document["description"] = book.description
    document["codes"] = [entry(c) for c in children[None] if live(c)]
    return document


def render_codebook(session: Session) -> str:
    body = yaml.safe_dump(
        codebook_document(session), sort_keys=False, allow_unicode=True, width=100
    )
    return HEADER + body


def write_codebook_file(path: Path, text: str, *, backup: bool) -> Path | None:
    """Replace ``path`` with ``text``; returns where the old file was kept, if anywhere."""
    kept: Path | None = None
    if backup and path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}.{stamp}.bak")
        n = 1
        while kept.exists():  # two changes in one second must not lose the older file
            n += 1
            kept = path.with_name(f"{path.name}.{stamp}-{n}.bak")
        path.replace(kept)
    write_atomic(path, text)
    return kept
