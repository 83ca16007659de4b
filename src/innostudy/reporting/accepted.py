"""What the analyst last read: the values every placeholder had when they accepted the text.

A narrative is written around numbers ("the barrier ranked first by 31%…, well ahead of
…"). When the data change, the placeholder changes with them, but the words around it
may no longer fit. ``report check --accept`` records every placeholder's value in
``narrative/accepted.json``; later checks warn about each value that has changed since,
so the analyst rereads exactly those sentences.
"""

from __future__ import annotations

import json
from pathlib import Path

from innostudy.atomic import write_atomic
from innostudy.errors import InputError
from innostudy.reporting.document import Document

ACCEPTED_FILE = "accepted.json"
FORMAT = "innostudy-accepted-values"


def accept(folder: Path, document: Document) -> Path:
    path = folder / ACCEPTED_FILE
    data = {"format": FORMAT, "version": 1, "values": document.values}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(path, text.encode("utf-8"))
    return path


def read_accepted(folder: Path) -> dict[str, dict[str, str]] | None:
    path = folder / ACCEPTED_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, None, f"not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(path, None, "format", "not a file written by `report check --accept`")
    values = data.get("values")
    return values if isinstance(values, dict) else {}


def changed_since(folder: Path, document: Document) -> list[str]:
    """One warning per placeholder whose value differs from the accepted one."""
    accepted = read_accepted(folder)
    if accepted is None:
        return []
    warnings = []
    for file, values in sorted(document.values.items()):
        before = accepted.get(file, {})
        for source, now in values.items():
            if source in before and before[source] != now:
                warnings.append(
                    f"{folder.name}/{file}: {source} was {before[source]!r} when the text was "
                    f"accepted and is now {now!r}; reread the sentence around it"
                )
    return warnings
