"""Shared by the exchange tests: a canonical view of a .qdpx, and a fingerprint of a study."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from innostudy.exchange.refi.reading import read_qdpx
from innostudy.model import Base
from innostudy.storage.store import StudyStore


def canonical(path: Path) -> dict[str, Any]:
    """A project without its GUIDs and dates: what must survive export → import → export.

    Codes by their path of names, users and variables by name, cases and sources by
    name with their variables, selections by source, span, coder and code path.
    """
    p = read_qdpx(path)
    paths: dict[str, tuple[str, ...]] = {}
    for code, parent in p.walk_codes():
        paths[code.guid] = (paths[parent.guid] if parent else ()) + (code.name,)
    users = {u.guid: u.name for u in p.users}
    variables = {v.guid: (v.name, v.type) for v in p.variables}
    notes = {n.guid: n.text for n in p.notes}
    names = {n.guid: n.name for n in p.notes}

    def values(holder: Any) -> tuple[Any, ...]:
        return tuple(sorted((variables[v.variable_guid], v.type, v.value) for v in holder.values))

    return {
        "project": p.name,
        "codes": sorted(
            (paths[c.guid], c.colour, c.description, tuple(notes[n] for n in c.note_guids))
            for c, _ in p.walk_codes()
        ),
        "users": sorted(users.values()),
        "variables": sorted(variables.values()),
        "cases": sorted((c.name, c.description, values(c)) for c in p.cases),
        "sources": sorted(
            (s.name, s.text, values(s), tuple(notes[n] for n in s.note_guids)) for s in p.sources
        ),
        "codings": sorted(
            (
                s.name,
                sel.start,
                sel.end,
                users[coding.user_guid or ""],
                paths[coding.code_guid],
                tuple(notes[n] for n in coding.note_guids),
            )
            for s in p.sources
            for sel in s.selections
            for coding in sel.codings
        ),
        # The note on machine assistance is left out: which codings a model suggested
        # is not something REFI-QDA carries, so a study made from the file cannot know it.
        "project notes": sorted(
            notes[n] for n in p.note_guids if names.get(n) != "Machine assistance in coding"
        ),
    }


def fingerprint(folder: Path) -> dict[str, Any]:
    """Row counts of every table and the bytes of every file but the database itself."""
    with StudyStore.open(folder) as store, store.session() as s:
        rows = {
            t.name: s.scalar(sa.select(sa.func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }
    files = {
        str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*"))
        if f.is_file() and not f.name.startswith("study.db")
    }
    return {"rows": rows, "files": files}
