"""Write an analysis to a folder, all or nothing: summary.json, tables, optional charts.

::

    analysis/
      summary.json              named statistics, figure list, notes (the contract)
      parquet/<table>.parquet   every table (summary.read() needs these)
      csv/<table>.csv           the same tables as CSV (UTF-8, header row)
      tables.xlsx               one sheet per table, after an "about" sheet
      charts/<figure>.png|svg   with --charts

Everything is written into a hidden sibling folder first and swapped into place at the
end, so a failure (a full disk, a chart that cannot be drawn) leaves the previous
analysis untouched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl
import xlsxwriter

from innostudy.analysis.summary import PARQUET_DIR, SUMMARY_FILE, Summary, to_json
from innostudy.analysis.tables import TABLES
from innostudy.atomic import atomic_folder
from innostudy.cells import XLSX_OPTIONS, neutralise
from innostudy.errors import InnostudyError

TABLE_FORMATS = ("parquet", "csv", "xlsx")
CHART_FORMATS = ("png", "svg")
XLSX_FILE = "tables.xlsx"

Progress = Callable[[str], None]


def parse_formats(
    text: str, allowed: Sequence[str], option: str, *, single: bool = False, required: bool = False
) -> tuple[str, ...]:
    """ "png,svg" → ("png", "svg"); "none" → () unless one is required; unknown is an error."""
    wanted = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    choices = ", ".join(allowed)
    if wanted in ((), ("none",)) and not (single or required):
        return ()
    if not wanted or wanted == ("none",) or (single and len(wanted) != 1):
        what = "one format" if single else "at least one format"
        raise InnostudyError(f"{option}: give {what} (choose from {choices})")
    unknown = [f for f in wanted if f not in allowed]
    if unknown:
        raise InnostudyError(f"{option}: unknown format '{unknown[0]}' (choose from {choices})")
    return tuple(dict.fromkeys(wanted))


def _write_xlsx(tables: dict[str, pl.DataFrame], path: Path) -> None:
    with xlsxwriter.Workbook(str(path), XLSX_OPTIONS) as workbook:
        about = workbook.add_worksheet("about")
        bold = workbook.add_format({"bold": True})
        about.write_row(0, 0, ["table", "what it holds"], bold)
        for row, (name, text) in enumerate(TABLES.items(), start=1):
            about.write_row(row, 0, [name, text])
        about.set_column(0, 0, 22)
        about.set_column(1, 1, 90)
        for name, frame in tables.items():
            frame.write_excel(workbook, worksheet=name, autofit=True, float_precision=4)


def _text_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Text columns with every cell a spreadsheet would run neutralised (innostudy.cells)."""
    text = [c for c, t in frame.schema.items() if t in (pl.String, pl.Categorical, pl.Enum)]
    return frame.with_columns(
        pl.Series(c, [None if v is None else neutralise(v) for v in frame[c]], pl.String)
        for c in text
    )


def _write_tables(
    summary: Summary, folder: Path, formats: Sequence[str], *, keep_formulas: bool = False
) -> None:
    if "parquet" in formats:
        (folder / PARQUET_DIR).mkdir()
        for name, frame in summary.tables.items():
            frame.write_parquet(folder / PARQUET_DIR / f"{name}.parquet")
    if "csv" in formats:
        (folder / "csv").mkdir()
        for name, frame in summary.tables.items():
            (frame if keep_formulas else _text_safe(frame)).write_csv(
                folder / "csv" / f"{name}.csv"
            )
    if "xlsx" in formats:
        _write_xlsx(summary.tables, folder / XLSX_FILE)


def _write_charts(
    summary: Summary, folder: Path, formats: Sequence[str], progress: Progress
) -> None:
    from innostudy.analysis.charts import draw
    from innostudy.analysis.charts.style import to_bytes

    (folder / "charts").mkdir()
    for name, spec in summary.figures.items():
        fig = draw(summary, spec)
        for fmt in formats:
            (folder / "charts" / f"{name}.{fmt}").write_bytes(to_bytes(fig, fmt))
        progress(name)


def write_analysis(
    summary: Summary,
    folder: Path,
    *,
    tables: Sequence[str] = TABLE_FORMATS,
    charts: Sequence[str] = (),
    progress: Progress = lambda _name: None,
    keep_formulas: bool = False,
) -> Path:
    """Replace ``folder`` with this analysis; return the path of summary.json.

    CSV text a spreadsheet would run gets a leading apostrophe unless ``keep_formulas``.
    """
    folder = folder.resolve()
    with atomic_folder(folder) as scratch:
        text = json.dumps(to_json(summary), indent=1, ensure_ascii=False, allow_nan=False)
        (scratch / SUMMARY_FILE).write_text(text + "\n", encoding="utf-8")
        _write_tables(summary, scratch, tables, keep_formulas=keep_formulas)
        if charts:
            _write_charts(summary, scratch, charts, progress)
    return folder / SUMMARY_FILE
