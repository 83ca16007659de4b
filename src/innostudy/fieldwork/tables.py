"""CSV files people keep in a spreadsheet: contact lists and recruitment sheets.

Row numbers are spreadsheet rows (the header is row 1), so an error points at the row
the user sees. The encoding is decided by ``innostudy.textfiles`` and the delimiter by
``innostudy.delimiters``, as for every other sheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from innostudy.atomic import write_atomic
from innostudy.cells import csv_writer, restore
from innostudy.delimiters import detect_delimiter
from innostudy.errors import InputError
from innostudy.textfiles import read_text

Row = tuple[int, dict[str, str]]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _header_name(text: str) -> str:
    return "_".join(text.strip().casefold().replace("-", " ").split())


def read_rows(path: Path, *, required: Iterable[str], optional: Iterable[str] = ()) -> list[Row]:
    """Rows as {column: value} with normalised header names; unknown columns are refused."""
    text = read_text(path).text
    reader = csv.reader(io.StringIO(text), delimiter=detect_delimiter(text))
    header = [_header_name(h) for h in next(reader, [])]
    required, known = list(required), {*required, *optional}
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            path, 1, missing[0], f"missing column '{missing[0]}' (needs: {', '.join(required)})"
        )
    unknown = [h for h in header if h and h not in known]
    if unknown:
        raise InputError(
            path,
            1,
            unknown[0],
            f"unknown column '{unknown[0]}' (known: {', '.join(sorted(known))})",
        )
    rows: list[Row] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = [restore(c.strip()) for c in cells]  # what write_rows neutralised
        rows.append((number, {h: c for h, c in zip(header, cells, strict=False) if h}))
    return rows


def check_email(value: str, path: Path | str, row: int | None) -> str:
    if value and not _EMAIL.match(value):
        raise InputError(path, row, "email", f"'{value}' is not an email address")
    return value


def parse_date(value: str, path: Path | str, row: int | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(path, row, field, f"'{value}' is not a date like 2026-03-03") from None


def write_rows(
    path: Path, columns: list[str], rows: Iterable[dict[str, str]], *, keep_formulas: bool = False
) -> None:
    """A CSV a spreadsheet opens cleanly (UTF-8 with BOM, no cell it would run), written
    all at once."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, keep_formulas=keep_formulas, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    write_atomic(path, "\ufeff" + buffer.getvalue())
