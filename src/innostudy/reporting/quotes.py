"""Quotes for the report: every one proven verbatim, consent respected, group label only.

``{{quote: Q-12}}`` names one quote: if it may not be used the report stops and says
why. ``{{quotes: …}}`` lists quotes matching filters and simply leaves out any that may
not be used (a withdrawn participant's words disappear from every list at once).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.coding.coded import counts_as_coded
from innostudy.coding.quotes import quote_difference
from innostudy.errors import InputError, NotFoundError
from innostudy.fieldwork.consent import has_withdrawn, may_quote
from innostudy.model import (
    FocusGroup,
    Participant,
    Quote,
    QuoteStatus,
    Segment,
    Speaker,
    SpeakerRole,
    Transcript,
)
from innostudy.reporting.document import QuoteItem

DEFAULT_LIMIT = 3


@dataclass(frozen=True)
class QuoteRecord:
    """A stored quote with what the report needs to decide whether and how to show it."""

    id: int
    label: str
    text: str
    code_key: str
    group: FocusGroup | None
    refusal: str | None  # why it may not be shown, or None

    def item(self) -> QuoteItem:
        assert self.group is not None
        return QuoteItem(self.label, self.text, self.group.label)

    def matches(self, params: dict[str, str]) -> bool:
        code = params.get("code")
        if code and not (self.code_key == code or self.code_key.startswith(code + ".")):
            return False
        group = params.get("group")
        if group and (self.group is None or group.lower() not in _group_names(self.group)):
            return False
        sector = params.get("sector")
        return not (sector and (self.group is None or self.group.group_type.sector.value != sector))


def _group_names(group: FocusGroup) -> set[str]:
    return {group.name.lower(), group.label.lower(), group.group_type.key.lower()}


def _refusal(segment: Segment, participant: Participant | None) -> str | None:
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


def load_quotes(session: Session) -> list[QuoteRecord]:
    """All selected quotes, each checked verbatim; an edited one stops everything."""
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
    records: list[QuoteRecord] = []
    for quote in quotes:
        difference = quote_difference(quote.text, quote.segment.text, quote.start, quote.end)
        if difference is not None:
            raise InputError(
                quote.label, None, "text", f"quote is no longer verbatim: {difference}"
            )
        speaker = quote.segment.speaker
        participant = (
            speaker.participant if speaker and speaker.role is SpeakerRole.PARTICIPANT else None
        )
        records.append(
            QuoteRecord(
                id=quote.id,
                label=quote.label,
                text=quote.text,
                code_key=quote.code.key if quote.code else "",
                group=participant.focus_group if participant else None,
                refusal=_refusal(quote.segment, participant),
            )
        )
    return records


def pick(records: list[QuoteRecord], label: str) -> QuoteItem:
    record = next((r for r in records if r.label.lower() == label.lower()), None)
    if record is None:
        raise LookupError(f"no selected quote {label} (see `innostudy quotes list`)")
    if record.refusal is not None:
        raise LookupError(f"{record.label} cannot be used: {record.refusal}")
    return record.item()


def select(records: list[QuoteRecord], params: dict[str, str]) -> list[QuoteItem]:
    unknown = set(params) - {"code", "group", "sector", "limit"}
    if unknown:
        raise LookupError(
            f"unknown filter '{sorted(unknown)[0]}' (use code=, group=, sector=, limit=)"
        )
    limit_text = params.get("limit", str(DEFAULT_LIMIT))
    if not limit_text.isdigit() or int(limit_text) < 1:
        raise LookupError(f"limit must be a whole number of at least 1, not '{limit_text}'")
    usable = [r for r in records if r.refusal is None and r.matches(params)]
    return [r.item() for r in usable[: int(limit_text)]]


def add_quote(
    session: Session,
    coding_id: int,
    *,
    start: int | None = None,
    end: int | None = None,
    selected_by: str = "",
) -> Quote:
    """Select (part of) a coded span as a quote; the text is copied verbatim from the segment."""
    from innostudy.model import Coding

    coding = session.get(Coding, coding_id)
    if coding is None:
        raise NotFoundError("coding", coding_id, listing="code list")
    if not counts_as_coded(coding):
        who = f"the {coding.coder.kind.value} '{coding.coder.name}'"
        raise InputError(
            "CODING_ID",
            None,
            "coding",
            f"coding {coding_id} is not a person's accepted coding (it is "
            f"{coding.status.value}, by {who}); quote the coding of the person who accepted "
            "it (`innostudy code list --status accepted`)",
        )
    lo = coding.start if start is None else start
    hi = coding.end if end is None else end
    if not (coding.start <= lo < hi <= coding.end):
        raise InputError(
            "--start/--end",
            None,
            "span",
            f"{lo}-{hi} is not inside coding {coding_id}'s span {coding.start}-{coding.end}",
        )
    quote = Quote(
        segment_id=coding.segment_id,
        coding_id=coding.id,
        code_id=coding.code_id,
        start=lo,
        end=hi,
        text=coding.segment.text[lo:hi],
        selected_by=selected_by,
    )
    session.add(quote)
    session.flush()
    return quote


def drop_quote(session: Session, label: str) -> Quote:
    """Take a quote out of the report; the row stays, marked dropped."""
    number = label.upper().removeprefix("Q-")
    quote = session.get(Quote, int(number)) if number.isdigit() else None
    if quote is None:
        raise NotFoundError("quote", label, listing="quotes list")
    quote.status = QuoteStatus.DROPPED
    session.flush()
    return quote
