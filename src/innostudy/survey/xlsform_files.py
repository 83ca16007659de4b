"""XLSForm files: a workbook (.xlsx) or one CSV per sheet (survey.csv, choices.csv,
settings.csv in a folder, or NAME-survey.csv next to NAME-choices.csv and
NAME-settings.csv)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from innostudy.cells import XLSX_OPTIONS, csv_writer, restore
from innostudy.errors import InputError
from innostudy.survey.importing.tables import cell_text
from innostudy.survey.xlsform import COLUMNS, Row, Sheets
from innostudy.textfiles import read_text
from innostudy.zipsafe import XLSX_LIMITS, check_archive

SHEETS = ("survey", "choices", "settings")


def _column(name: str) -> str:
    """Column names ignore case, except a language after '::' (``label::English (en)``)."""
    base, sep, language = name.strip().partition("::")
    return base.casefold() + sep + language


def _rows(header: list[str], body: list[list[str]]) -> list[Row]:
    names = [_column(h) for h in header]
    rows: list[Row] = []
    for cells in body:
        if not any(c.strip() for c in cells):
            rows.append({})  # keep row numbers right for messages
            continue
        rows.append(
            {n: (cells[i] if i < len(cells) else "").strip() for i, n in enumerate(names) if n}
        )
    return rows


def read_workbook(path: Path) -> Sheets:
    from openpyxl import load_workbook

    check_archive(path, XLSX_LIMITS)  # a zip bomb stops here, before openpyxl
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(path, None, None, f"not a readable .xlsx workbook ({exc})") from None
    try:
        sheets: Sheets = {}
        for ws in wb.worksheets:
            name = ws.title.strip().casefold()
            if name in SHEETS:
                cells = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
                if cells:
                    sheets[name] = _rows(cells[0], cells[1:])
        return sheets
    finally:
        wb.close()


def csv_sheet_paths(path: Path) -> dict[str, Path]:
    """The per-sheet CSV files for a folder or for one of the files."""
    if path.is_dir():
        return {s: path / f"{s}.csv" for s in SHEETS if (path / f"{s}.csv").is_file()}
    stem = path.name
    for sheet in SHEETS:
        if sheet in stem:
            found = {s: path.with_name(stem.replace(sheet, s)) for s in SHEETS}
            return {s: p for s, p in found.items() if p.is_file()}
    return {}


def read_csv_sheets(path: Path) -> Sheets:
    from innostudy.survey.xlsform_single_csv import is_single_csv, split_sheets

    if path.is_file() and is_single_csv(path):  # one CSV, sheet names in the first column
        found = split_sheets(path)
        return {s: _rows(*found[s]) for s in SHEETS if s in found}
    paths = csv_sheet_paths(path)
    if "survey" not in paths:
        raise InputError(
            path, None, None, "no survey.csv (or NAME-survey.csv) with the form's questions"
        )
    sheets: Sheets = {}
    for sheet, p in paths.items():
        cells = [[restore(c) for c in row] for row in csv.reader(io.StringIO(read_text(p).text))]
        if cells:
            sheets[sheet] = _rows(cells[0], cells[1:])
    return sheets


def write_workbook(sheets: Sheets, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    try:
        bold = book.add_format({"bold": True})
        for name in SHEETS:
            ws = book.add_worksheet(name)
            for j, column in enumerate(COLUMNS[name]):
                ws.write_string(0, j, column, bold)
            for i, row in enumerate(sheets[name], start=1):
                for j, column in enumerate(COLUMNS[name]):
                    if row.get(column):
                        ws.write_string(i, j, row[column])
    finally:
        book.close()


def write_csv_sheets(sheets: Sheets, folder: Path, *, keep_formulas: bool = False) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in SHEETS:
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            out = csv_writer(f, keep_formulas=keep_formulas)
            out.writerow(COLUMNS[name])
            out.writerows([row.get(c, "") for c in COLUMNS[name]] for row in sheets[name])
