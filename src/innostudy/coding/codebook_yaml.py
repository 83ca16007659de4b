"""The study's codebook as YAML, written from the database's codes after they changed.

When an import adds codes, or a codebook command adds, renames, merges or splits them,
the codebook's next revision is this text (codebook_definition.codebook_changed), in the
full form the codebook reader takes (keys, hierarchy, rules, colours). Merged and retired
codes are left out unless a live code still sits below them. The revision it follows
stays in the history, with any comments the analyst wrote in it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from innostudy.coding.codebook import study_codebook
from innostudy.model import Code, CodeStatus

HEADER = (
    "# Codebook of this study, written by innostudy from the study's codes after an import\n"
    "# or a codebook command (innostudy code add|rename|merge|split).\n"
    "# Codes are matched to the database by key: a new key is a new code.\n"
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
