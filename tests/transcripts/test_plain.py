from __future__ import annotations

from pathlib import Path

import pytest

from innostudy.errors import InputError
from innostudy.transcripts.formats import parse_transcript
from innostudy.transcripts.formats.text import parse


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "t.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_labelled_lines_with_and_without_times(tmp_path: Path) -> None:
    draft = parse(
        write(tmp_path, "[00:01:02] Zoë Hartley: Budgets run yearly.\nFacilitator: Say more?\n")
    )
    assert [(s.speaker, s.text, s.start_ms, s.line) for s in draft.segments] == [
        ("Zoë Hartley", "Budgets run yearly.", 62_000, 1),
        ("Facilitator", "Say more?", None, 2),
    ]


def test_heading_style_turns_and_continuation_lines(tmp_path: Path) -> None:
    text = "SIÂN (00:00:05)\nFirst line.\n\nSecond paragraph.\nŁUKASZ (1:02:03)\nReply.\n"
    draft = parse(write(tmp_path, text))
    assert [(s.speaker, s.text, s.start_ms) for s in draft.segments] == [
        ("SIÂN", "First line. Second paragraph.", 5_000),
        ("ŁUKASZ", "Reply.", 3_723_000),
    ]
    assert draft.speakers == ["SIÂN", "ŁUKASZ"]


def test_bom_crlf_and_windows_1252(tmp_path: Path) -> None:
    bom = parse(write(tmp_path, "\ufeffAna: one\r\nBen: two\r\n", name="a.txt"))
    assert [s.speaker for s in bom.segments] == ["Ana", "Ben"]
    cp = parse(write(tmp_path, "Zoë: café – ok\n", encoding="cp1252", name="b.txt"))
    assert cp.segments[0].text == "café – ok"


def test_a_bad_timestamp_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "Ana: fine\n[00:99:00] Ben: broken\n")
    with pytest.raises(InputError) as info:
        parse(path)
    assert (
        str(info.value)
        == f"{path}, line 2, field 'timestamp': '00:99:00' is not a time like 00:01:02"
    )


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "\n\n")
    with pytest.raises(InputError, match="no speaker turns found"):
        parse(path)


def test_unknown_suffix_asks_for_format(tmp_path: Path) -> None:
    path = write(tmp_path, "Ana: hi\n", name="t.rtf")
    with pytest.raises(InputError, match=r"cannot tell the transcript format from '\.rtf'"):
        parse_transcript(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_transcripts_keep_their_turns(tmp_path: Path, encoding: str) -> None:
    """Windows tools save "Unicode" text as UTF-16; it used to come in as one turn of noise."""
    path = write(tmp_path, "Zoë: café – ok\r\nBen: naïve\r\n", encoding=encoding)
    draft = parse_transcript(path)
    assert [(s.speaker, s.text) for s in draft.segments] == [
        ("Zoë", "café – ok"),
        ("Ben", "naïve"),
    ]
