"""Response files as a stream of rows of text cells: CSV/TSV, XLSX and SPSS ``.sav``.

Only the first few records are read to recognise the format; the rest is streamed, so
a file of a million rows is never held in memory. The encoding is decided from the start of the
file by ``innostudy.textfiles`` and the delimiter from the header line by
``innostudy.delimiters``, the same rules every other text file goes through.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from innostudy.cells import restore
from innostudy.delimiters import detect_delimiter
from innostudy.errors import InputError
from innostudy.textfiles import SAMPLE_BYTES, detect_encoding, encoding_named
from innostudy.zipsafe import XLSX_LIMITS, check_archive

csv.field_size_limit(max(csv.field_size_limit(), 1 << 26))  # long answers exceed 128 KiB


@dataclass
class Progress:
    """How far a stream has got, in the table's own unit (bytes or rows)."""

    done: int = 0
    total: int = 0


@dataclass
class Table:
    path: Path
    kind: str  # "csv", "xlsx" or "sav"
    encoding: str | None = None
    delimiter: str | None = None
    progress: Progress = field(default_factory=Progress)
    sha256: str = ""
    _head: list[list[str]] = field(default_factory=list)
    _merged_header: bool = False

    @property
    def name(self) -> str:
        return str(self.path)

    def head(self, n: int) -> list[list[str]]:
        """The first ``n`` records (fewer if the file is shorter)."""
        return self._head[:n]

    def records(self, skip: int) -> Generator[tuple[int, list[str]], None, None]:
        """(record number, cells) after the first ``skip`` records; numbers start at 1."""
        reader = {"csv": self._csv_records, "xlsx": self._xlsx_records, "sav": self._sav_records}
        return reader[self.kind](skip)

    # -- CSV -----------------------------------------------------------------------------

    def _csv_records(self, skip: int) -> Generator[tuple[int, list[str]], None, None]:
        assert self.encoding is not None
        assert self.delimiter is not None
        self.progress.total = self.path.stat().st_size
        with self.path.open("rb") as raw:
            counted = _CountingReader(raw, self.progress)
            text = io.TextIOWrapper(io.BufferedReader(counted), encoding=self.encoding, newline="")
            marked = [False]
            reader = csv.reader(_marking(text, marked), delimiter=self.delimiter, strict=True)
            number = 0
            try:
                for number, cells in enumerate(reader, start=1):
                    if marked[0]:  # a cell innostudy's export neutralised: as it was
                        cells = [restore(c) for c in cells]
                        marked[0] = False
                    if number > skip:
                        yield number, cells
            except csv.Error as exc:
                raise InputError(self.path, number + 1, None, _csv_reason(exc)) from None
            except UnicodeDecodeError:
                raise InputError(
                    self.path,
                    number + 1,
                    None,
                    f"not {self.encoding} text from here on (the start of the file was); "
                    "pass --encoding with the file's real encoding, e.g. cp1252",
                ) from None
            self.sha256 = counted.hexdigest()

    # -- XLSX ----------------------------------------------------------------------------

    def _xlsx_records(self, skip: int) -> Generator[tuple[int, list[str]], None, None]:
        from openpyxl import load_workbook

        wb = load_workbook(self.path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            self.progress.total = ws.max_row or 0
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                self.progress.done = number
                if number > skip:
                    yield number, [cell_text(v) for v in row]
        finally:
            wb.close()
        self.sha256 = _file_sha256(self.path)

    # -- SPSS ----------------------------------------------------------------------------

    def _sav_records(self, skip: int) -> Generator[tuple[int, list[str]], None, None]:
        import pyreadstat

        _, meta = pyreadstat.read_sav(str(self.path), metadataonly=True)
        names = list(meta.column_names)
        self.progress.total = int(meta.number_rows or 0) + 1
        if skip == 0:
            yield 1, names
        number = 1
        for frame, _ in pyreadstat.read_file_in_chunks(
            pyreadstat.read_sav, str(self.path), chunksize=20_000, output_format="dict"
        ):
            columns = [frame[n] for n in names]
            for i in range(len(columns[0]) if columns else 0):
                number += 1
                self.progress.done = number
                if number > skip:
                    yield number, [cell_text(col[i]) for col in columns]
        self.sha256 = _file_sha256(self.path)


class _CountingReader(io.RawIOBase):
    """Passes bytes through, counting them for the progress bar and hashing them."""

    def __init__(self, raw: IO[bytes], progress: Progress) -> None:
        self.raw = raw
        self.progress = progress
        self.hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self.hash.update(memoryview(buffer)[:n])
            self.progress.done += n
        return int(n or 0)

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


_NEUTRALISED = re.compile(r"(?:^|[^\w'])'[=+\-@\t\r]")


def _marking(lines: Iterable[str], marked: list[bool]) -> Iterator[str]:
    """The lines, setting ``marked[0]`` when one may hold a neutralised cell ('=…); checking
    lines (C speed) rather than every cell keeps a million-row import as fast as before."""
    for line in lines:
        if "'" in line and _NEUTRALISED.search(line):
            marked[0] = True
        yield line


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "the file ends inside a quoted value: it looks cut short (truncated)"
    if "expected after" in text:
        return (
            "a quote inside a value that is not itself quoted; "
            "quote the value and double its quotes"
        )
    if "field larger than field limit" in text:
        return "a value is longer than 64 MiB"
    return f"not readable as CSV: {text}"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cell_text(value: Any) -> str:
    """A spreadsheet or SPSS cell as the text a CSV export would have held."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# -- opening -------------------------------------------------------------------------------


def open_table(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None, head: int = 8
) -> Table:
    """Open a response file and read its first ``head`` records."""
    if not path.is_file():
        raise InputError(path, None, None, "file not found" if not path.exists() else "not a file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = Table(path, "xlsx")
        table._head, table._merged_header = _xlsx_head(path, head)
    elif suffix in (".sav", ".zsav"):
        table = Table(path, "sav")
        table._head = _sav_head(path, head)
    elif suffix in (".xls", ".parquet", ".json"):
        raise InputError(
            path, None, None, f"{suffix} files are not read; save the sheet as .xlsx or .csv"
        )
    else:
        table = _csv_table(path, encoding, delimiter, head)
    if not table._head:
        raise InputError(path, None, None, "the file is empty")
    return table


def _csv_table(path: Path, encoding: str | None, delimiter: str | None, head: int) -> Table:
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    chosen = (
        encoding_named(encoding, path)
        if encoding
        else detect_encoding(sample, path, complete=len(sample) < SAMPLE_BYTES)
    )
    text = sample.decode(chosen.codec, errors="replace")
    table = Table(path, "csv", encoding=chosen.codec, delimiter=delimiter or detect_delimiter(text))
    table._head = []
    with contextlib.closing(table.records(0)) as records:
        for _, cells in records:
            table._head.append(cells)
            if len(table._head) >= head:
                break
    table.progress = Progress()
    return table


def _xlsx_head(path: Path, n: int) -> tuple[list[list[str]], bool]:
    """First rows, with a two-row header made from merged group cells when there is one.

    A sheet whose first row has cells merged across columns (a group heading such as
    "Impacts" over its items) gets one header row of ``group/item`` names.
    """
    from openpyxl import load_workbook

    check_archive(path, XLSX_LIMITS)  # a zip bomb stops here, before openpyxl
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(path, None, None, f"not a readable .xlsx workbook ({exc})") from None
    try:
        ws = wb.worksheets[0]
        rows = [[cell_text(v) for v in row] for row in ws.iter_rows(max_row=n, values_only=True)]
        merges = _merged_ranges(path, getattr(ws, "_worksheet_path", ""))
    finally:
        wb.close()
    spans = [(c1, c2) for r1, c1, r2, c2 in merges if r1 == 1 and c2 > c1]
    if not spans or len(rows) < 2:
        return rows, False
    top, second = rows[0], rows[1]
    width = max(len(top), len(second))
    top += [""] * (width - len(top))
    second += [""] * (width - len(second))
    names = list(top)
    for c1, c2 in spans:
        for col in range(c1 - 1, min(c2, width)):
            group = top[c1 - 1].strip()
            names[col] = f"{group}/{second[col].strip()}" if second[col].strip() else group
    for col in range(width):
        if not any(c1 - 1 <= col < c2 for c1, c2 in spans) and not names[col].strip():
            names[col] = second[col]
    return [names, *rows[2:]], True


def _merged_ranges(path: Path, sheet_path: str) -> list[tuple[int, int, int, int]]:
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    found: list[tuple[int, int, int, int]] = []
    if not sheet_path:
        return found
    with zipfile.ZipFile(path) as archive, archive.open(sheet_path.lstrip("/")) as xml:
        for _, element in iterparse(xml):
            if element.tag.endswith("}mergeCell"):
                c1, r1, c2, r2 = range_boundaries(element.get("ref", "A1:A1"))
                found.append((r1 or 1, c1 or 1, r2 or 1, c2 or 1))
            element.clear()
    return found


def _sav_head(path: Path, n: int) -> list[list[str]]:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), row_limit=max(n - 1, 1), output_format="dict")
    except Exception as exc:  # pyreadstat raises its own error types for damaged files
        raise InputError(path, None, None, f"not a readable SPSS .sav file ({exc})") from None
    names = list(meta.column_names)
    rows = [names]
    count = len(frame[names[0]]) if names else 0
    rows += [[cell_text(frame[name][i]) for name in names] for i in range(count)]
    return rows
