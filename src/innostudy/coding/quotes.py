"""Quotes: coded spans chosen for the report, and the verbatim check they must pass.

The report (reporting/quotes.py) loads quotes, runs this check on every one at render
time and applies the consent rules.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from innostudy.model import (
    Coding,
    Participant,
    Quote,
    Segment,
    Speaker,
    SpeakerRole,
)


def quote_difference(quote_text: str, segment_text: str, start: int, end: int) -> str | None:
    """None if the quote is exactly the segment text at [start, end); else what differs."""
    current = segment_text[start:end] if 0 <= start <= end <= len(segment_text) else None
    if current is None:
        return f"span {start}-{end} no longer fits the segment ({len(segment_text)} characters)"
    if current == quote_text:
        return None
    at = next(
        (i for i, (a, b) in enumerate(zip(quote_text, current, strict=False)) if a != b), None
    )
    if at is None:
        at = min(len(quote_text), len(current))
    return (
        f"differs at character {at + 1}: quote has {quote_text[at : at + 20]!r}, "
        f"transcript has {current[at : at + 20]!r}"
    )


def select_quote(session: Session, coding: Coding, *, selected_by: str = "") -> Quote:
    segment = coding.segment
    quote = Quote(
        segment_id=segment.id,
        coding_id=coding.id,
        code_id=coding.code_id,
        start=coding.start,
        end=coding.end,
        text=segment.text[coding.start : coding.end],
        selected_by=selected_by,
    )
    session.add(quote)
    session.flush()
    return quote


def speaker_participant(segment: Segment) -> Participant | None:
    speaker: Speaker | None = segment.speaker
    if speaker is None or speaker.role is not SpeakerRole.PARTICIPANT:
        return None
    return speaker.participant
