"""Word transcripts: labelled paragraphs, speaker/text tables, Teams' layout, and impostors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from innostudy.errors import InputError
from innostudy.transcripts.formats import parse_transcript


def build(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    document = docx.Document()
    document.add_heading("Focus group transcript (synthetic)", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table is not None:
        grid = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    document.save(str(path))
    return path


def turns(path: Path) -> list[tuple[str | None, str, int | None, int]]:
    return [(s.speaker, s.text, s.start_ms, s.line) for s in parse_transcript(path).segments]


def test_labelled_paragraphs_with_line_breaks_and_headings(tmp_path: Path) -> None:
    path = build(
        tmp_path / "t.docx",
        [
            "[00:00:05] Facilitator: Welcome.",
            "Zoë Hartley: Budgets run yearly.\nNobody plans past March.",
            "",
            "ŁUKASZ (00:01:10)",
            "Reply from the agency side.",
        ],
    )
    # Paragraph numbers count the heading too: it is paragraph 1.
    assert turns(path) == [
        ("Facilitator", "Welcome.", 5_000, 2),
        ("Zoë Hartley", "Budgets run yearly. Nobody plans past March.", None, 3),
        ("ŁUKASZ", "Reply from the agency side.", 70_000, 5),
    ]


def test_three_column_table_with_header_and_continuation(tmp_path: Path) -> None:
    path = build(
        tmp_path / "t.docx",
        ["Recorded 3 March 2026."],
        [
            ["Time", "Speaker", "Text"],
            ["00:00:02", "Facilitator", "Where do ideas come from?"],
            ["00:00:07", "Siân Price", "From the front line."],
            ["", "", "Though rarely heard."],
            ["00:00:15", "Zoë Hartley", "Ministers, for us."],
        ],
    )
    assert turns(path) == [
        (None, "Recorded 3 March 2026.", None, 2),
        ("Facilitator", "Where do ideas come from?", 2_000, 2),
        ("Siân Price", "From the front line. Though rarely heard.", 7_000, 3),
        ("Zoë Hartley", "Ministers, for us.", 15_000, 5),
    ]


def test_two_column_table(tmp_path: Path) -> None:
    path = build(
        tmp_path / "t.docx",
        [],
        [["Facilitator", "Any barriers?"], ["Łukasz Nowak", "Procurement, mainly."]],
    )
    assert turns(path) == [
        ("Facilitator", "Any barriers?", None, 1),
        ("Łukasz Nowak", "Procurement, mainly.", None, 2),
    ]


def test_teams_word_layout_merges_consecutive_cues(tmp_path: Path) -> None:
    path = build(
        tmp_path / "t.docx",
        [
            "0:0:3.450 --> 0:0:7.890",
            "Facilitator",
            "Welcome.",
            "0:0:8.100 --> 0:0:12.0",
            "Zoë Hartley",
            "Budgets run yearly,",
            "0:0:12.0 --> 0:0:15.250",
            "Zoë Hartley",
            "so nobody plans ahead.",
        ],
    )
    assert [(s.speaker, s.text, s.start_ms, s.end_ms) for s in parse_transcript(path).segments] == [
        ("Facilitator", "Welcome.", 3_450, 7_890),
        ("Zoë Hartley", "Budgets run yearly, so nobody plans ahead.", 8_100, 15_250),
    ]


def test_otter_style_paragraphs(tmp_path: Path) -> None:
    path = build(
        tmp_path / "t.docx",
        ["Facilitator  0:02", "Hello.", "Siân Price  0:09", "Hi.", "Zoë Hartley  0:12", "Hey."],
    )
    assert [(s.speaker, s.start_ms) for s in parse_transcript(path).segments] == [
        ("Facilitator", 2_000),
        ("Siân Price", 9_000),
        ("Zoë Hartley", 12_000),
    ]


def test_a_bad_time_in_a_table_names_table_and_row(tmp_path: Path) -> None:
    path = build(
        tmp_path / "t.docx",
        [],
        [["Time", "Speaker", "Text"], ["00:00:02", "Zoë", "Fine."], ["00:99:00", "Siân", "No."]],
    )
    with pytest.raises(InputError) as info:
        parse_transcript(path)
    assert str(info.value) == (
        f"{path}, table 1, row 3, field 'time': '00:99:00' is not a time like 00:01:02"
    )


def test_a_bad_time_in_a_paragraph_names_the_paragraph(tmp_path: Path) -> None:
    path = build(tmp_path / "t.docx", ["Zoë: fine", "[00:61:00] Siân: broken"])
    with pytest.raises(InputError) as info:
        parse_transcript(path)
    assert str(info.value) == (
        f"{path}, paragraph 3, field 'timestamp': '00:61:00' is not a time like 00:01:02"
    )


def test_a_zip_of_something_else_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError) as info:
        parse_transcript(path)
    assert str(info.value) == (
        f"{path}: not a Word document: the package holds no word/document.xml "
        "(it looks like an Excel workbook)"
    )


def test_a_text_file_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    path.write_text("Zoë: hi\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_transcript(path)
    assert str(info.value) == f"{path}: not a Word document (.docx files are zip packages)"


def test_a_damaged_word_package(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", "<not-closed")
    with pytest.raises(InputError) as info:
        parse_transcript(path)
    assert str(info.value).startswith(f"{path}: not a readable Word document (")


def test_a_document_with_only_a_heading(tmp_path: Path) -> None:
    path = build(tmp_path / "t.docx", [])
    with pytest.raises(InputError) as info:
        parse_transcript(path)
    assert str(info.value) == f"{path}: no speaker turns found"
