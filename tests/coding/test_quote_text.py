"""Edited quotes: every verbatim piece proven, every cut and clarification shown as such."""

from __future__ import annotations

import pytest

from innostudy.coding.quote_text import (
    Piece,
    QuoteTextError,
    check_pieces,
    display,
    parse_edited,
)

TURN = (
    "I think we were nervous of the word, honestly. We tried a pilot once. "
    "It failed badly, and [PARTICIPANT] took the blame. I would still call that an innovation."
)


def parse(text: str) -> list[Piece]:
    return parse_edited(text, TURN, 0, len(TURN))


def test_an_ellipsis_joins_two_verbatim_spans_of_the_turn() -> None:
    pieces = parse(
        "I think we were nervous of the word, honestly. . . . I would still call that an "
        "innovation."
    )
    assert [p.kind for p in pieces] == ["text", "elision", "text"]
    first, _, last = pieces
    assert (first.start, first.end) == (0, 46)
    assert TURN[last.start : last.end] == "I would still call that an innovation."  # type: ignore[misc]
    assert display(pieces) == (
        "I think we were nervous of the word, honestly. . . . I would still call that an "
        "innovation."
    )


@pytest.mark.parametrize("ellipsis", ["...", "…", ". . ."])
def test_the_usual_ways_of_typing_an_ellipsis_are_shown_the_same_way(ellipsis: str) -> None:
    pieces = parse(f"We tried a pilot once {ellipsis} I would still call that an innovation.")
    assert display(pieces) == "We tried a pilot once . . . I would still call that an innovation."


def test_a_clarification_is_an_insertion_and_may_stand_for_words_it_replaces() -> None:
    pieces = parse("[The pilot] failed badly")
    assert [(p.kind, p.text) for p in pieces] == [
        ("insertion", "[The pilot]"),
        ("text", "failed badly"),
    ]
    assert display(pieces) == "[The pilot] failed badly"


def test_a_capital_in_brackets_may_complete_a_word() -> None:
    pieces = parse("[W]e tried a pilot once.")
    assert display(pieces) == "[W]e tried a pilot once."
    assert pieces[1].start == TURN.index("e tried")


def test_a_redaction_tag_in_the_turn_is_verbatim_not_a_clarification() -> None:
    pieces = parse("It failed badly, and [PARTICIPANT] took the blame.")
    assert [p.kind for p in pieces] == ["text"]
    assert pieces[0].text == "It failed badly, and [PARTICIPANT] took the blame."


def test_spaces_and_line_breaks_in_the_turn_match_single_spaces() -> None:
    turn = "We waited\n  for months."
    pieces = parse_edited("We waited for months.", turn, 0, len(turn))
    assert pieces[0].text == turn


@pytest.mark.parametrize(
    ("edited", "message"),
    [
        (
            "We tried a pilot twice.",
            "after 'We tried a pilot' the turn says 'once. It failed badly, and [PA', not "
            "'twice.' (mark a cut with '. . .')",
        ),
        (
            "We tried a pilot once. I would still call that an innovation.",
            "after 'We tried a pilot once.' the turn says 'It failed badly, and [PARTICIP', not "
            "'I would still call that an inn' (mark a cut with '. . .')",
        ),
        ("Nobody said this.", "'Nobody said this.' is not in the coded span"),
        (
            "We tried a pilot . . . once.",
            "'. . .' before 'once.' leaves nothing out",
        ),
        ("tried a pilot", None),
        ("ried a pilot", "'ried a pilot' starts inside the word 'tried'"),
        ("We tried a pil", "'We tried a pil' ends inside the word 'pilot'"),
        ("", "the edited quote is empty"),
        ("[just my words]", "the quote has no words from the transcript"),
    ],
)
def test_what_the_turn_does_not_support_is_named(edited: str, message: str | None) -> None:
    if message is None:
        assert display(parse(edited)) == edited
        return
    with pytest.raises(QuoteTextError) as info:
        parse(edited)
    assert str(info.value) == message


def test_the_window_is_the_coded_span() -> None:
    start = TURN.index("We tried")
    end = TURN.index(" It failed")
    with pytest.raises(QuoteTextError, match="is not after"):
        parse_edited("We tried a pilot once . . . I would still", TURN, start, end)


def test_stored_pieces_are_proven_against_the_turn_each_time() -> None:
    pieces = parse("We tried a pilot once . . . I would still call that an innovation.")
    assert check_pieces(pieces, TURN) is None
    edited_turn = TURN.replace("pilot once", "pilot twice")
    at = TURN.index("once") + 1
    assert check_pieces(pieces, edited_turn) == (
        f"differs at character {at} of the turn: quote has 'once', transcript has 'twic'"
    )


def test_a_hidden_cut_is_refused_even_in_stored_pieces() -> None:
    first, _, last = parse("We tried a pilot once . . . I would still call that an innovation.")
    assert check_pieces([first, last], TURN) == (
        "'. It failed badly, and [PARTIC' is left out without '. . .' or a [clarification]"
    )
    assert check_pieces([last, first], TURN) == (
        "'We tried a pilot once' comes before the words shown ahead of it"
    )


def test_pieces_survive_a_round_trip_through_json() -> None:
    pieces = parse("[W]e tried a pilot once . . . I would still call that an innovation.")
    assert [Piece.from_json(p.to_json()) for p in pieces] == pieces
