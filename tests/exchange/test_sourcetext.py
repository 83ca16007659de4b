"""Turns → one plain-text source → turns again, and selections cut at turn boundaries (pure)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from innostudy.exchange.refi.sourcetext import SourcePart, clip_to_parts, split_source
from innostudy.transcripts.writing import Turn, render_turns, turn_time


def test_render_places_each_turn_after_its_label_and_time() -> None:
    turns = [
        Turn("SCS-01", "Budgets 😀 run yearly.", 62_500),
        Turn("Facilitator", "Why?"),
        Turn(None, "x"),
    ]
    rendered = render_turns(turns)
    assert rendered.text == (
        "[00:01:02.500] SCS-01: Budgets 😀 run yearly.\n\nFacilitator: Why?\n\nx\n"
    )
    for turn, start in zip(turns, rendered.starts, strict=True):
        assert rendered.text[start : start + len(turn.text)] == turn.text
    # code points, not UTF-16 units: the emoji is one position
    assert rendered.starts[1] == len(
        "[00:01:02.500] SCS-01: Budgets 😀 run yearly.\n\nFacilitator: "
    )


def test_times_keep_milliseconds_only_when_there_are_some() -> None:
    assert turn_time(3_723_000) == "01:02:03"
    assert turn_time(5_007) == "00:00:05.007"


def test_split_finds_labels_times_and_paragraphs() -> None:
    text = "[00:00:05] Ana: First, with ü.\nstill Ana\n\nBen: Reply 😀\nAna: Again.\n"
    parts = split_source(text)
    assert [(p.speaker, p.start_ms, text[p.start : p.end], p.line) for p in parts] == [
        ("Ana", 5_000, "First, with ü.\nstill Ana", 1),
        ("Ben", None, "Reply 😀", 4),
        ("Ana", None, "Again.", 5),
    ]


def test_a_label_must_recur_be_known_or_be_a_role() -> None:
    text = "The answer is simple: we never had a budget.\n\nInterviewer: Why not?\n"
    parts = split_source(text)
    assert [(p.speaker, text[p.start : p.end]) for p in parts] == [
        (None, "The answer is simple: we never had a budget."),
        ("Interviewer", "Why not?"),
    ]
    prose = "Note well: this is prose.\n\nOnly prose: nobody speaks.\n"
    assert [p.speaker for p in split_source(prose)] == [None, None]
    known = split_source("P07: once only\n", known_labels=["p07"])
    assert [p.speaker for p in known] == ["P07"]


def test_unlabelled_paragraphs_continue_the_speaker_unless_told_not_to() -> None:
    text = "Ana: one\n\ntwo\n\nAna: three\n"
    assert [p.speaker for p in split_source(text)] == ["Ana", "Ana", "Ana"]
    assert [p.speaker for p in split_source(text, known_labels=["Ana"], own_layout=True)] == [
        "Ana",
        None,
        "Ana",
    ]


def test_in_innostudy_layout_only_its_own_labels_count() -> None:
    text = "SCS-01: We said:\nBudget: none at all.\n\nSpeaker 2: yes\n\nFacilitator 2: ok\n"
    parts = split_source(text, known_labels=["SCS-01"], own_layout=True)
    assert [(p.speaker, text[p.start : p.end]) for p in parts] == [
        ("SCS-01", "We said:\nBudget: none at all."),
        ("Speaker 2", "yes"),
        ("Facilitator 2", "ok"),
    ]


def test_a_label_alone_on_its_line_introduces_the_next_line() -> None:
    text = "Ana:\nThe text follows.\nAna: again\n"
    parts = split_source(text)
    assert [(p.speaker, text[p.start : p.end]) for p in parts] == [
        ("Ana", "The text follows."),
        ("Ana", "again"),
    ]


def test_a_selection_across_turns_becomes_one_trimmed_piece_per_turn() -> None:
    text = "Ana: one two\n\nBen: three four\n"
    parts = split_source(text, known_labels=["Ana", "Ben"])
    start, end = text.index("two"), text.index("three") + len("three")
    assert clip_to_parts(text, parts, start, end) == [(0, 4, 7), (1, 0, 5)]
    label_only = text.index("Ben"), text.index("Ben") + len("Ben: ")
    assert clip_to_parts(text, parts, *label_only) == []
    assert clip_to_parts(text, parts, 0, len(text)) == [(0, 0, 7), (1, 0, 10)]


LABELS = ["SCS-01", "SCS-02", "Facilitator", "Note-taker", "Speaker 1"]
words = st.text(
    alphabet=st.characters(
        whitelist_categories=("Ll", "Lu", "Nd", "Po", "So"), blacklist_characters="[:"
    ),
    min_size=1,
    max_size=12,
)
turn_text = st.lists(words, min_size=1, max_size=6).map(" ".join)
turns = st.lists(
    st.builds(
        Turn,
        st.sampled_from(LABELS),
        turn_text,
        st.one_of(st.none(), st.integers(0, 10_000_000)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(turns)
def test_innostudy_layout_survives_a_round_trip(given_turns: list[Turn]) -> None:
    rendered = render_turns(given_turns)
    parts = split_source(rendered.text, known_labels=LABELS[:2], own_layout=True)
    assert [
        Turn(p.speaker, rendered.text[p.start : p.end], p.start_ms) for p in parts
    ] == given_turns
    assert [p.start for p in parts] == rendered.starts


def test_parts_are_slices_of_the_source() -> None:
    text = "  Ana:   padded text   \n"
    (part,) = split_source(text, known_labels=["Ana"])
    assert part == SourcePart(text.index("padded"), text.index("text") + 4, "Ana", None, 1)
