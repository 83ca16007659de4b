"""Every layout that real tools and people write, read as a person reads it.

Each fixture in fixtures/real/ was written for innostudy to reproduce the structural
features listed, with where they were seen, in tests/fixtures/real-world-formats.md
("Transcripts and subtitles"); the words are synthetic. Each test pins the layout found,
the number of turns and speakers, and the first and last times.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats import parse_transcript

REAL = Path(__file__).parent / "fixtures" / "real"


def shape(draft: TranscriptDraft) -> tuple[str, int, int, int | None, int | None]:
    """(layout, turns, speakers, first start, last start or end)."""
    starts = [s.start_ms for s in draft.segments if s.start_ms is not None]
    ends = [s.end_ms for s in draft.segments if s.end_ms is not None]
    last = max(ends) if ends else (max(starts) if starts else None)
    return (
        draft.layout,
        len(draft.segments),
        len(draft.speakers),
        min(starts) if starts else None,
        last,
    )


def said(draft: TranscriptDraft) -> list[tuple[str | None, str]]:
    return [(s.speaker, s.text) for s in draft.segments]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("teams_unpadded.vtt", ("webvtt", 4, 3, 0, 65_000)),
        ("zoom_no_blanks.vtt", ("webvtt", 5, 3, 1_120, 3_727_800)),
        ("fragment.vtt", ("webvtt", 2, 2, 1_000, 6_000)),
        ("broadcast.vtt", ("webvtt", 4, 2, 7_960, 19_900)),
        ("styled.vtt", ("webvtt", 2, 2, 7_120, 15_320)),
        ("gmeet.vtt", ("webvtt", 2, 2, 8_000, 20_000)),
        ("blank_after_timing.srt", ("srt", 3, 3, 1_000, 8_000)),
        ("teams_pasted.txt", ("teams", 3, 2, 0, 5_910)),
        ("otter_export.md", ("otter", 6, 3, 3_000, 3_727_000)),
        ("otter_single_space.txt", ("otter", 4, 2, 0, 75_000)),
        ("zoom_clock.txt", ("otter", 5, 2, 39_729_000, 39_742_000)),
        ("podcast.md", ("label-line", 6, 2, 0, 3_121_000)),
        ("interview_labels_alone.txt", ("label-line", 5, 2, None, None)),
        ("interview_relabelled.txt", ("inline", 7, 2, None, None)),
        ("wrapped_labels.txt", ("inline", 5, 3, None, None)),
    ],
)
def test_each_layout_reads_as_a_person_reads_it(
    name: str, expected: tuple[str, int, int, int | None, int | None]
) -> None:
    assert shape(parse_transcript(REAL / name)) == expected


def test_teams_unpadded_times_count_milliseconds_and_merge_one_speaker() -> None:
    draft = parse_transcript(REAL / "teams_unpadded.vtt")
    assert [(s.speaker, s.start_ms, s.end_ms) for s in draft.segments] == [
        ("Facilitator", 0, 2_480),
        ("Noor Haddad", 2_210, 9_500),  # 0:0:6.90 is 6 s 90 ms, so the two cues touch
        ("Facilitator", 10_040, 12_007),
        ("Tomasz Krol", 62_300, 65_000),
    ]
    assert draft.notes == ["times without padding (Teams): fractions read as milliseconds"]


def test_zoom_cues_without_blank_lines_keep_their_numbers_out_of_the_words() -> None:
    draft = parse_transcript(REAL / "zoom_no_blanks.vtt")
    assert said(draft)[1] == (
        "Noor Haddad",
        "The pilot cost less than the consultants' report. About a third, in the end.",
    )
    assert not any(s.text.rstrip().endswith(("2", "3", "4", "5", "6")) for s in draft.segments)


def test_a_fragment_without_its_header_is_read_with_a_warning() -> None:
    draft = parse_transcript(REAL / "fragment.vtt")
    assert draft.warnings == ["the file has no 'WEBVTT' line; its cues were read all the same"]


def test_bracketed_names_sounds_and_dash_dialogue() -> None:
    draft = parse_transcript(REAL / "broadcast.vtt")
    assert said(draft) == [
        ("Noor", "In 2019 the service was still on paper forms. [laughter]"),
        (None, "Was that a problem?"),
        (None, "Only for the public."),
        ("Tomasz", "We fixed it with one form."),
    ]


def test_styles_classes_entities_and_karaoke_times_leave_only_the_words() -> None:
    assert said(parse_transcript(REAL / "styled.vtt")) == [
        ("Facilitator", "Budgets & approvals: where do they stall?"),
        ("Noor Haddad", "At the gateway review. Every time. It takes 2 < 3 months, always."),
    ]


def test_a_name_in_parentheses_names_the_cue() -> None:
    assert said(parse_transcript(REAL / "gmeet.vtt"))[0] == (
        "Noor Haddad",
        "I wanted to start with the background so we know who we are talking to. "
        "What is your role?",
    )


def test_words_after_a_blank_line_belong_to_their_cue() -> None:
    assert said(parse_transcript(REAL / "blank_after_timing.srt"))[1] == (
        "Noor Haddad",
        "The finance board, once a quarter.",
    )


def test_otter_markdown_keeps_paragraphs_and_skips_headings_and_trailer() -> None:
    draft = parse_transcript(REAL / "otter_export.md")
    assert said(draft)[1] == (
        "Noor Haddad",
        "Before we start, a word on how we will use what you say. "
        "We quote by group only, never by name.",
    )
    assert said(draft)[3][1].startswith("Of course.")
    assert draft.verbatim
    assert draft.notes == [
        "front matter skipped (lines 1-2)",
        "headings, rules and trailers skipped (line 4, 18, 28)",
    ]


def test_front_matter_title_and_time_only_labels() -> None:
    draft = parse_transcript(REAL / "podcast.md")
    assert [s.speaker for s in draft.segments] == [
        "Noor Haddad",
        "Host",
        "Noor Haddad",
        "Host",
        "Noor Haddad",
        "Host",
    ]
    assert said(draft)[1][1] == (
        "Today my guest is Noor Haddad, who leads service design in a regional agency. "
        "In our conversation we cover budgets, pilots and how to measure what changed. "
        "This episode is synthetic, written for innostudy's tests."
    )
    assert "guest" not in draft.speakers and "title" not in draft.speakers


def test_labels_alone_with_paragraphs_below_and_front_matter() -> None:
    draft = parse_transcript(REAL / "interview_labels_alone.txt")
    assert said(draft)[1] == (
        "Participant",
        "I manage a small digital team in a local authority. We look after the website and "
        "two apps.",
    )
    assert said(draft)[3] == ("Participant", "Procurement, mostly. Also: nobody owned the budget.")
    assert draft.notes[0] == "front matter skipped (lines 1-7)"


def test_hard_wrapped_lines_and_padded_labels() -> None:
    draft = parse_transcript(REAL / "wrapped_labels.txt")
    assert said(draft)[1] == (
        "Noor Haddad",
        "Can I get your verbal consent that it is okay if I record this, just for the "
        "transcription, and send the forms after we hang up?",
    )


def test_the_layout_can_be_named_or_given_as_a_pattern() -> None:
    path = REAL / "interview_relabelled.txt"
    forced = parse_transcript(path, layout="paragraphs")
    assert shape(forced)[:3] == ("paragraphs", 7, 0)
    pattern = parse_transcript(path, pattern=r"^(?P<speaker>Interviewe[re](?: \d)?):\s*")
    assert shape(pattern)[:3] == ("pattern", 7, 2)


def _teams_docx(path: Path) -> Path:
    document = docx.Document()
    for timing, name, words in [
        ("0:0:0.0 --> 0:0:1.510", "Noor Haddad", "OK. Shall we begin?"),
        ("0:0:3.270 --> 0:0:4.250", "Tomasz Krol", "Yes."),
        ("0:0:4.300 --> 0:0:9.80", "Noor Haddad", "First, the budget."),
    ]:
        paragraph = document.add_paragraph(timing)
        run = paragraph.add_run()
        run.add_break()
        run.add_text(name)
        run.add_break()
        run.add_text(words)
    document.add_table(rows=1, cols=1).cell(0, 0).text = "saved-by Noor Haddad"
    document.save(str(path))
    return path


def test_teams_word_export_with_line_breaks_and_a_footer_table(tmp_path: Path) -> None:
    draft = parse_transcript(_teams_docx(tmp_path / "teams.docx"))
    assert shape(draft) == ("teams", 3, 2, 0, 9_080)
    assert draft.notes == ["1 table(s) after the transcript not read (Teams' footer)"]


def test_a_date_line_before_the_first_turn_is_a_header_not_a_speaker(tmp_path: Path) -> None:
    document = docx.Document()
    for text in [
        "Date: 10 March 2026. Recorded with consent of everyone present.",
        "Interviewer: How did the project start?",
        "P07: With a complaint from a resident.",
        "Interviewer: And then?",
    ]:
        document.add_paragraph(text)
    document.save(str(tmp_path / "t.docx"))
    draft = parse_transcript(tmp_path / "t.docx")
    assert draft.speakers == ["Interviewer", "P07"]
    assert "header lines skipped (paragraph 1)" in draft.notes


def test_a_field_name_later_in_the_file_is_warned_about(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text(
        "Ana: We piloted it.\nBen: For how long?\nAna: Six months.\nLocation: the east office\n",
        encoding="utf-8",
    )
    draft = parse_transcript(path)
    assert draft.warnings == [
        "speaker 'Location' (line 4, 1 turn) looks like a field name, not a person: check it, "
        "or read the file another way with --layout or --speaker-pattern"
    ]
