"""Write the study's codebook back to its YAML file after codes came in from elsewhere.

The codebook file is the editable source of the codebook (``coding.codebook``); when an
import adds codes to the database, the file is rewritten from the database in the full
form ``coding.codebook`` reads (keys, hierarchy, rules, colours), so the two agree.
The file it replaces is kept beside it as ``<name>.<UTC time>.bak``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from innostudy.coding.codebook import study_codebook
from innostudy.model import Code

HEADER = (
    "# Codebook of this study, written by innostudy from the study database after an import.\n"
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

    def entry(code: Code) -> dict[str, Any]:
        out: dict[str, Any] = {"key": code.key, "name": code.name}
        for field in ("description", "include", "exclude"):
            if getattr(code, field):
                out[field] = getattr(code, field)
        if code.examples:
            out["examples"] = list(code.examples)
        if code.colour:
            out["colour"] = code.colour
        if children.get(code.id):
            out["children"] = [entry(c) for c in children[code.id]]
        return out

    document: dict[str, Any] = {"name": book.name}
    if book.description:
        document["description"] = book.description
    document["codes"] = [entry(c) for c in children[None]]
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
        path.replace(kept)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return kept
