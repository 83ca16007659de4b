"""Quotes: coded spans chosen for the report, the one way to select them, and their checks.

Selecting a quote is allowed only from a person's accepted coding (``coding.coded``) of a
participant who may be quoted (``fieldwork.consent``), in a verbatim transcript. The
report (``reporting/quotes.py``) loads quotes and runs ``quote_problem`` and
``quote_refusal`` on every one each time it renders, because consent and transcripts can
change after a quote was chosen.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from innostudy.coding.coded import counts_as_coded
from innostudy.coding.quote_text import (
    Piece,
    QuoteTextError,
    check_pieces,
    display,
    parse_edited,
    whole,
)
from innostudy.errors import InputError, NotFoundError
from innostudy.fieldwork.consent import has_withdrawn, may_quote
from innostudy.model import (
    Coding,
    Participant,
    Quote,
    QuoteStatus,
    Segment,
    Speaker,
    SpeakerRole,
)


def quote_difference(quote_text: str, segment_text: str, start: int, end: int) -> str | None:
    """None if the quote is exactly the segment text at [start, end); else what differs."""
    return check_pieces([Piece("text", quote_text, start, end)], segment_text)


def pieces_of(quote: Quote) -> list[Piece]:
    """The quote's pieces; an unedited quote is one verbatim piece."""
    if quote.parts:
        return [Piece.from_json(p) for p in quote.parts]
    return [Piece("text", quote.text, quote.start, quote.end)]


def quote_problem(quote: Quote) -> str | None:
    """None while every verbatim piece still matches the turn and the display is theirs."""
    pieces = pieces_of(quote)
    problem = check_pieces(pieces, quote.segment.text)
    if problem is None and display(pieces) != quote.text:
        problem = "the quote's text is not the text of its pieces"
    return problem


def speaker_participant(segment: Segment) -> Participant | None:
    speaker: Speaker | None = segment.speaker
    if speaker is None or speaker.role is not SpeakerRole.PARTICIPANT:
        return None
    return speaker.participant


def quote_refusal(segment: Segment) -> str | None:
    """Why words from this turn may not be quoted, or None when they may."""
    participant = speaker_participant(segment)
    if not segment.transcript.kind.is_quotable():
        return "it comes from notes, not a verbatim transcript"
    if participant is None:
        return "its speaker is not a mapped participant"
    if has_withdrawn(participant.consent):
        return f"participant {participant.code} has withdrawn"
    if not may_quote(participant.consent):
        return f"participant {participant.code} did not consent to quotation"
    if participant.focus_group is None:
        return f"participant {participant.code} is not in a focus group"
    return None


def add_quote(
    session: Session,
    coding: Coding | int,
    *,
    start: int | None = None,
    end: int | None = None,
    text: str | None = None,
    lead_in: str = "",
    selected_by: str = "",
) -> Quote:
    """Select (part of) a person's accepted coding as a quote.

    ``text`` is an edited version ("We tried . . . but [the department] refused"), checked
    piece by piece against the coded span; without it the span is copied verbatim.
    """
    if isinstance(coding, int):
        found = session.get(Coding, coding)
        if found is None:
            raise NotFoundError("coding", coding, listing="code list")
        coding = found
    _require_quotable(coding)
    lo = coding.start if start is None else start
    hi = coding.end if end is None else end
    if not (coding.start <= lo < hi <= coding.end):
        raise InputError(
            "--start/--end",
            None,
            "span",
            f"{lo}-{hi} is not inside coding {coding.id}'s span {coding.start}-{coding.end}",
        )
    pieces = _pieces("--text", text, coding.segment.text, lo, hi)
    verbatim = [p for p in pieces if p.kind == "text"]
    quote = Quote(
        segment_id=coding.segment_id,
        coding_id=coding.id,
        code_id=coding.code_id,
        start=verbatim[0].start,
        end=verbatim[-1].end,
        text=display(pieces),
        parts=[p.to_json() for p in pieces] if text is not None else [],
        lead_in=_one_line(lead_in),
        selected_by=selected_by,
    )
    session.add(quote)
    session.flush()
    return quote


def _require_quotable(coding: Coding) -> None:
    if not counts_as_coded(coding):
        who = f"the {coding.coder.kind.value} '{coding.coder.name}'"
        raise InputError(
            "CODING_ID",
            None,
            "coding",
            f"coding {coding.id} is not a person's accepted coding (it is "
            f"{coding.status.value}, by {who}); quote the coding of the person who accepted "
            "it (`innostudy code list --status accepted`)",
        )
    refusal = quote_refusal(coding.segment)
    if refusal is not None:
        raise InputError(
            "CODING_ID", None, "coding", f"coding {coding.id} cannot be quoted: {refusal}"
        )


def _pieces(field: str, text: str | None, turn: str, lo: int, hi: int) -> list[Piece]:
    if text is None:
        return whole(turn, lo, hi)
    try:
        return parse_edited(text, turn, lo, hi)
    except QuoteTextError as exc:
        raise InputError(field, None, "text", str(exc)) from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def quote_by_label(session: Session, label: str) -> Quote:
    number = label.upper().removeprefix("Q-")
    quote = session.get(Quote, int(number)) if number.isdigit() else None
    if quote is None:
        raise NotFoundError("quote", label, listing="quotes list")
    return quote


def edit_quote(
    session: Session, label: str, *, text: str | None = None, lead_in: str | None = None
) -> Quote:
    """Re-edit a quote's text (checked against its coding's span again) or its lead-in."""
    quote = quote_by_label(session, label)
    if text is not None:
        lo, hi = quote.start, quote.end
        if quote.coding is not None:
            lo, hi = quote.coding.start, quote.coding.end
        pieces = _pieces("--text", text, quote.segment.text, lo, hi)
        verbatim = [p for p in pieces if p.kind == "text"]
        quote.parts = [p.to_json() for p in pieces]
        quote.text = display(pieces)
        quote.start, quote.end = verbatim[0].start or 0, verbatim[-1].end or 0
    if lead_in is not None:
        quote.lead_in = _one_line(lead_in)
    session.flush()
    return quote


def drop_quote(session: Session, label: str) -> Quote:
    """Take a quote out of the report; the row stays, marked dropped."""
    quote = quote_by_label(session, label)
    quote.status = QuoteStatus.DROPPED
    session.flush()
    return quote
