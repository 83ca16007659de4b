"""Every transcript format, read from fixtures written to mimic what real tools export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from innostudy.errors import InputError
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats import detect_format, parse_transcript

FIXTURES = Path(__file__).parent / "fixtures"


def turns(draft: TranscriptDraft) -> list[tuple[str | None, str, int | None, int | None]]:
    return [(s.speaker, s.text, s.start_ms, s.end_ms) for s in draft.segments]


def fixture(name: str) -> Path:
    return FIXTURES / name


def test_teams_vtt_voices_merging_overlap_notes_and_style() -> None:
    draft = parse_transcript(fixture("teams.vtt"))
    assert turns(draft) == [
        ("Facilitator", "Welcome, everyone. Let's start with costs.", 3_450, 7_890),
        ("Zoë Hartley", "Budgets run yearly, so nobody plans past March.", 8_100, 15_250),
        ("Siân Price", "Exactly.", 14_900, 16_000),
        ("Łukasz Nowak", "Mm-hm.", 14_900, 16_000),
        ("Zoë Hartley", "And procurement & approvals take another <six> months.", 16_200, 21_400),
        ("Facilitator", "Siân, is that your experience?", 22_000, 24_000),
    ]
    lines = fixture("teams.vtt").read_text(encoding="utf-8").split("\n")
    for seg in draft.segments:
        assert "-->" in lines[seg.line - 1], seg  # each turn cites its first cue's timing line
    assert draft.verbatim


def test_zoom_vtt_named_cues_with_and_without_hours() -> None:
    assert turns(parse_transcript(fixture("zoom.vtt"))) == [
        (
            "Facilitator",
            "Good morning. Could each of you say a word about your role?",
            1_000,
            4_500,
        ),
        ("Łukasz Nowak", "I lead a digital team in a regional agency.", 5_000, 12_000),
        ("Siân Price", "I'm a director, mostly policy.", 62_000, 65_500),
    ]


def test_srt_names_on_change_and_dialogue_dashes() -> None:
    draft = parse_transcript(fixture("captions.srt"))
    assert turns(draft) == [
        ("Facilitator", "Who decides the budget?", 1_000, 3_000),
        ("Zoë Hartley", "The finance committee, once a year.", 3_500, 8_000),
        ("Siân Price", "Yearly?", 8_200, 9_000),
        ("Zoë Hartley", "Yes.", 8_200, 9_000),
        ("Łukasz Nowak", "Ours is quarterly.", 9_500, 12_000),
    ]
    assert [s.line for s in draft.segments] == [2, 6, 14, 14, 19]


def test_otter_export_is_detected_and_its_trailer_skipped() -> None:
    path = fixture("otter.txt")
    assert detect_format(path) == "txt"
    draft = parse_transcript(path)
    assert draft.layout == "otter"
    assert any("trailers skipped (line 15)" in note for note in draft.notes)
    assert turns(draft) == [
        ("Facilitator", "Thanks for coming. Let's talk about where ideas come from.", 2_000, None),
        (
            "Zoë Hartley",
            "Mostly from the front line, honestly. But they rarely get heard.",
            9_000,
            None,
        ),
        ("Unknown Speaker", "Agreed.", 15_000, None),
        ("Łukasz Nowak", "Ministers, in our case.", 3_727_000, None),
    ]


def test_speaker_time_colon_style_in_either_layout() -> None:
    path = fixture("rev.txt")
    assert detect_format(path) == "txt"
    expected = [
        ("Speaker 1", "Welcome back.", 5_000, None),
        ("Siân Price", "We tried a pilot in 2019.", 9_000, None),
        ("Speaker 1", "And?", 15_000, None),
    ]
    draft = parse_transcript(path)
    assert draft.layout == "label-line"
    assert turns(draft) == expected
    assert turns(parse_transcript(path, layout="inline")) == expected


def test_markdown_notes_are_not_verbatim() -> None:
    draft = parse_transcript(fixture("notes.md"))
    assert not draft.verbatim
    assert turns(draft) == [
        ("SCS-02", "budgets are set a year ahead, so pilots wait.", 750_000, None),
        (None, "General agreement that approval gateways add months. Several nodded.", None, None),
        ("Facilitator", "asked about procurement.", None, None),
        ("Zoë", "procurement rules are the real barrier.", None, None),
    ]
    assert [s.line for s in draft.segments] == [4, 5, 8, 11]


@pytest.mark.parametrize(
    "name", ["teams.vtt", "zoom.vtt", "captions.srt", "otter.txt", "rev.txt", "notes.md"]
)
def test_bom_and_crlf_change_nothing(name: str, tmp_path: Path) -> None:
    original = fixture(name)
    text = original.read_text(encoding="utf-8")
    variant = tmp_path / name
    variant.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    a, b = parse_transcript(original), parse_transcript(variant)
    assert turns(a) == turns(b)
    assert [s.line for s in a.segments] == [s.line for s in b.segments]


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        (
            "bad_time.vtt",
            "vtt",
            "line 8, field 'timestamp': '00:00:61.000' is not a cue time like 00:01:02.500",
        ),
        (
            "bad_time.srt",
            "srt",
            "line 6, field 'timestamp': '00:00:75,000' is not a cue time like 00:01:02,500",
        ),
        (
            "missing_timing.srt",
            "srt",
            "line 5: expected a cue number and a timing line like "
            "'00:00:01,000 --> 00:00:04,000', found '2'",
        ),
    ],
)
def test_malformed_cue_files_name_their_line(name: str, fmt: str, message: str) -> None:
    path = fixture(name)
    with pytest.raises(InputError) as info:
        parse_transcript(path, fmt)
    assert str(info.value) == f"{path}, {message}"


def test_a_cue_that_ends_before_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "t.vtt"
    path.write_text("WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nZoë: hm\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_transcript(path)
    assert str(info.value) == (
        f"{path}, line 3, field 'timestamp': cue ends (00:00:04.000) before it starts (00:00:05.000)"
    )


def test_a_vtt_with_only_notes_has_no_turns(tmp_path: Path) -> None:
    path = tmp_path / "t.vtt"
    path.write_text("WEBVTT\n\nNOTE nothing said\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_transcript(path)
    assert str(info.value) == f"{path}: no speaker turns found"


def test_unnamed_captions_stay_one_turn_per_cue(tmp_path: Path) -> None:
    path = tmp_path / "t.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:02,000 --> 00:00:03,000\nHi.\n",
        encoding="utf-8",
    )
    assert turns(parse_transcript(path)) == [
        (None, "Hello.", 1_000, 2_000),
        (None, "Hi.", 2_000, 3_000),
    ]


def test_srt_without_blank_lines_between_cues(tmp_path: Path) -> None:
    path = tmp_path / "t.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nZoë: one\n2\n00:00:02,500 --> 00:00:03,000\nSiân: two\n",
        encoding="utf-8",
    )
    assert turns(parse_transcript(path)) == [
        ("Zoë", "one", 1_000, 2_000),
        ("Siân", "two", 2_500, 3_000),
    ]


def test_format_is_detected_from_the_suffix(tmp_path: Path) -> None:
    for name, fmt in [("a.vtt", "vtt"), ("b.SRT", "srt"), ("c.md", "md"), ("d.docx", "docx")]:
        target = tmp_path / name
        shutil.copy(fixture("zoom.vtt"), target)
        assert detect_format(target) == fmt


def test_unknown_format_name_is_refused() -> None:
    path = fixture("zoom.vtt")
    with pytest.raises(InputError) as info:
        parse_transcript(path, "rtf")
    assert str(info.value) == (
        f"{path}: unknown transcript format 'rtf' (one of: txt, md, docx, vtt, srt, otter, notes)"
    )


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        parse_transcript(tmp_path / "gone.vtt")
    assert str(info.value) == f"{tmp_path / 'gone.vtt'}: file not found"
