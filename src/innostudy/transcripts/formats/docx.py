"""Word documents: speaker-labelled paragraphs, speaker/text tables, and Teams' layout.

Three layouts are read, in document order (headings and the title are skipped):

- paragraphs written like plain text (``Name: text``, ``[00:01:02] Name: text``,
  ``NAME (00:01:02)``) or like Otter (``Name  0:03`` with the words below);
- tables of two columns (speaker, text) or three (time, speaker, text in any order of
  the first two); an empty speaker cell continues the turn above; a header row is skipped;
- Teams' Word export: a ``0:0:3.450 --> 0:0:7.890`` paragraph, the speaker's name, the words.

Errors name the paragraph (or table and row), since Word documents have no lines.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from innostudy.errors import InputError
from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft
from innostudy.transcripts.formats.cues import TEAMS_TIMING, teams_turns
from innostudy.transcripts.formats.evidence import choose_layout
from innostudy.transcripts.formats.layouts import PARAGRAPHS, Layout
from innostudy.transcripts.formats.lines import check_turns
from innostudy.transcripts.formats.text import turns_from_lines
from innostudy.transcripts.timecodes import parse_timecode
from innostudy.zipsafe import DOCX_LIMITS, SafeZip

_HEADER_WORDS = {"speaker", "name", "who", "time", "timestamp", "start", "text", "transcript"}
_HEADER_WORDS |= {"utterance", "words", "said", "speech"}
_TIME_SHAPED = re.compile(r"^[\[(]?\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d+)?[\])]?$")
Item = tuple[str, int, Any]  # ("p", paragraph number, lines) or ("t", table number, rows)


def parse(path: Path, layout: Layout | None = None) -> TranscriptDraft:
    items = _read(path)
    paragraphs = [(n, line) for kind, n, body in items if kind == "p" for line in body]
    if layout is None and any(TEAMS_TIMING.match(line.strip()) for _, line in paragraphs):
        return _teams(items, path)
    found = None if layout else choose_layout(paragraphs).layout
    draft = TranscriptDraft(layout=(layout or found or PARAGRAPHS).name)
    run: list[tuple[int, str]] = []
    for kind, number, body in [*items, ("t", 0, [])]:
        if kind == "p":
            run += [(number, line) for line in body] + [(number, "")]
            continue
        if run:
            part = turns_from_lines(run, path, layout, unit="paragraph", check=False, found=found)
            draft.segments += part.segments
            draft.notes += part.notes
            draft.warnings += part.warnings
        run = []
        tables = _table_turns(body, number, path)
        if tables:
            draft.layout = "table" if not draft.segments else f"{draft.layout} + table"
        draft.segments += tables
    check_turns(draft, path, "paragraph")
    return draft


def _read(path: Path) -> list[Item]:
    """Paragraphs (as lines) and tables (as rows of cell texts), in document order."""
    _check_package(path)
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise InputError(path, None, None, f"not a readable Word document ({exc})") from None
    items: list[Item] = []
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            tables += 1
            items.append(("t", tables, [_cells(row) for row in block.rows]))
            continue
        paragraphs += 1
        style = (block.style.name if block.style is not None else "") or ""
        if not style.startswith(("Heading", "Title", "Subtitle")):
            items.append(("p", paragraphs, block.text.split("\n")))
    return items


def _check_package(path: Path) -> None:
    if not path.is_file():
        raise InputError(path, None, None, "file not found")
    if not zipfile.is_zipfile(path):
        raise InputError(path, None, None, "not a Word document (.docx files are zip packages)")
    with SafeZip(path, DOCX_LIMITS) as package:  # a zip bomb stops here, before python-docx
        names = set(package.names())
    if "word/document.xml" not in names:
        hint = next((kind for part, kind in _OTHER_PACKAGES if part in names), "another zip file")
        raise InputError(
            path,
            None,
            None,
            f"not a Word document: the package holds no word/document.xml ({hint})",
        )


_OTHER_PACKAGES = (
    ("xl/workbook.xml", "it looks like an Excel workbook"),
    ("ppt/presentation.xml", "it looks like a PowerPoint file"),
    ("content.xml", "it looks like an OpenDocument file; save it as .docx"),
)


def _cells(row: Any) -> list[str]:
    """Cell texts of a row; a merged cell is listed once, not once per grid column."""
    seen: list[Any] = []
    texts: list[str] = []
    for cell in row.cells:
        if any(cell._tc is s for s in seen):
            continue
        seen.append(cell._tc)
        texts.append(" ".join(cell.text.split()))
    return texts


def _table_turns(rows: list[list[str]], table: int, path: Path) -> list[SegmentDraft]:
    if not rows:
        return []
    if all(cell.casefold().strip(" :") in _HEADER_WORDS for cell in rows[0] if cell):
        rows, first = rows[1:], 2
    else:
        first = 1
    width = max((len(r) for r in rows), default=0)
    time_col = _time_column(rows) if width >= 3 else None
    other = [i for i in range(width) if i != time_col]
    turns: list[SegmentDraft] = []
    for number, cells in enumerate(rows, start=first):
        cells = cells + [""] * (width - len(cells))
        speaker, text = (cells[other[0]], cells[other[-1]]) if len(other) >= 2 else ("", cells[0])
        if not text:
            continue
        start_ms = (
            _cell_time(cells[time_col], path, table, number) if time_col is not None else None
        )
        if not speaker and turns:
            turns[-1].text = f"{turns[-1].text} {text}"
            continue
        turns.append(SegmentDraft(speaker or None, text, number, start_ms=start_ms))
    return turns


def _time_column(rows: list[list[str]]) -> int | None:
    for col in (0, 1):
        values = [r[col] for r in rows if len(r) > col and r[col]]
        if values and sum(_TIME_SHAPED.match(v) is not None for v in values) * 2 > len(values):
            return col
    return None


def _cell_time(value: str, path: Path, table: int, row: int) -> int | None:
    if not value:
        return None
    ms = parse_timecode(value.strip("[]()"))
    if ms is None:
        raise InputError(
            path,
            row,
            "time",
            f"'{value}' is not a time like 00:01:02",
            unit=f"table {table}, row",
        )
    return ms


def _teams(items: list[Item], path: Path) -> TranscriptDraft:
    """Teams' Word layout: timing paragraph, speaker paragraph, then the words (or all
    three in one paragraph, separated by line breaks)."""
    lines = [(n, line) for kind, n, body in items if kind == "p" for line in body]
    draft = teams_turns(lines, path, "paragraph")
    tables = [n for kind, n, _ in items if kind == "t"]
    if tables:
        draft.notes.append(f"{len(tables)} table(s) after the transcript not read (Teams' footer)")
    return draft
