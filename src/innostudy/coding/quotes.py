"""Quotes: coded spans chosen for the report, always checked verbatim against the transcript."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.errors import InputError
from innostudy.fieldwork.consent import may_quote
from innostudy.model import (
    Coding,
    Participant,
    Quote,
    QuoteStatus,
    Segment,
    Speaker,
    SpeakerRole,
    Transcript,
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


@dataclass(frozen=True)
class VerifiedQuote:
    """A quote proven verbatim, with only what may be shown: the group label."""

    id: int
    label: str
    text: str
    code_key: str | None
    group_label: str
    group_type: str
    sector: str
    segment_id: int


def speaker_participant(segment: Segment) -> Participant | None:
    speaker: Speaker | None = segment.speaker
    if speaker is None or speaker.role is not SpeakerRole.PARTICIPANT:
        return None
    return speaker.participant


def verified_quotes(session: Session) -> list[VerifiedQuote]:
    """Every selected quote, verified; a quote that is no longer verbatim stops everything.

    Quotes from participants who withdrew or did not consent to quotation, and quotes
    from note-takers' notes (not verbatim), are left out.
    """
    quotes = session.scalars(
        sa.select(Quote)
        .where(Quote.status == QuoteStatus.SELECTED)
        .options(
            selectinload(Quote.segment)
            .selectinload(Segment.speaker)
            .selectinload(Speaker.participant),
            selectinload(Quote.segment)
            .selectinload(Segment.transcript)
            .selectinload(Transcript.session),
            selectinload(Quote.code),
        )
        .order_by(Quote.id)
    ).all()
    result: list[VerifiedQuote] = []
    for quote in quotes:
        difference = quote_difference(quote.text, quote.segment.text, quote.start, quote.end)
        if difference is not None:
            raise InputError(
                quote.label, None, "text", f"quote is no longer verbatim: {difference}"
            )
        participant = speaker_participant(quote.segment)
        if participant is None or not may_quote(participant.consent):
            continue
        if not quote.segment.transcript.kind.is_quotable():
            continue  # notes paraphrase; only verbatim transcripts give quotes
        group = participant.focus_group
        if group is None:
            continue
        result.append(
            VerifiedQuote(
                id=quote.id,
                label=quote.label,
                text=quote.text,
                code_key=quote.code.key if quote.code else None,
                group_label=group.label,
                group_type=group.group_type.key,
                sector=group.group_type.sector.value,
                segment_id=quote.segment_id,
            )
        )
    return result
