"""An XLSForm kept as one CSV, the layout pyxform reads: sheet names in the first column.

::

    survey,,,
    ,type,name,label
    ,text,title,Name of the innovation
    choices,,,
    ,list name,name,label

A row whose first cell is filled starts a sheet (``survey``, ``choices``, ``settings``,
in any case, with spaces around); the next row is that sheet's header, and the rows
after it, their first cell empty, are its rows. pyxform's spellings of column names
are accepted too (``list name``, ``label:English``).
"""

from __future__ import annotations

import re
from pathlib import Path

from innostudy.survey.importing.tables import open_table

_SINGLE_COLON = re.compile(
    r"^(label|hint|constraint_message|required_message|media):(?!:)", re.IGNORECASE
)


def is_single_csv(path: Path) -> bool:
    """Does the first filled cell of the file name the survey sheet?"""
    table = open_table(path, head=4)
    first = next((row for row in table.head(4) if any(c.strip() for c in row)), [])
    return bool(first) and first[0].strip().casefold() == "survey"


def split_sheets(path: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Sheet name → (header, rows), the marker column removed."""
    sheets: dict[str, tuple[list[str], list[list[str]]]] = {}
    current: str | None = None
    for _, cells in open_table(path).records(0):
        marker, rest = (cells[0].strip().casefold(), cells[1:]) if cells else ("", [])
        if marker:
            current = marker
            continue
        if current is None:
            continue
        if current not in sheets:
            if any(c.strip() for c in rest):
                sheets[current] = ([_header(c) for c in rest], [])
            continue
        sheets[current][1].append(rest)
    return sheets


def _header(name: str) -> str:
    """pyxform's other spellings: ``list name``, ``label:English (en)``."""
    text = name.strip()
    if text.casefold() == "list name":
        return "list_name"
    return _SINGLE_COLON.sub(r"\1::", text, count=1)
