"""Quotes for the report: every one proven verbatim, consent respected, group label only,
and lists balanced across groups.

``{{quote: Q-12}}`` names one quote: if it may not be used the report stops and says
why. ``{{quotes: …}}`` chooses among the selected quotes matching its filters, leaving
out any that may not be used (a withdrawn participant's words disappear from every list
at once). The choice is balanced: groups take turns in a stated order (civil-service
groups first, then comparison groups, each in group-type order, unless ``order=`` says
otherwise), at most ``per_group`` from each, never the same speaker twice in a block,
and within a group in the order the analyst selected them. Groups that have usable
quotes on the filter but none shown are named, so a thin block is a decision.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.coding.quotes import pieces_of, quote_problem, quote_refusal, speaker_participant
from innostudy.errors import InputError
from innostudy.model import (
    FocusGroup,
    GroupType,
    Quote,
    QuoteStatus,
    Sector,
    Segment,
    Speaker,
    Transcript,
)
from innostudy.reporting.document import QuoteItem

DEFAULT_LIMIT = 3
FILTERS = ("code", "group", "sector", "limit", "per_group", "order")


@dataclass(frozen=True)
class QuoteRecord:
    """A stored quote with what the report needs to decide whether and how to show it."""

    id: int
    label: str
    text: str
    code_key: str
    group: FocusGroup | None
    speaker_id: int | None  # the participant, so a block never shows one person twice
    refusal: str | None  # why it may not be shown, or None
    item: QuoteItem

    def matches(self, code: str, groups: set[int] | None, sector: str) -> bool:
        if code and not (self.code_key == code or self.code_key.startswith(code + ".")):
            return False
        if groups is not None and (self.group is None or self.group.id not in groups):
            return False
        return not (sector and (self.group is None or self.group.group_type.sector.value != sector))


@dataclass(frozen=True)
class QuoteSelection:
    quotes: list[QuoteItem]
    unshown: list[str]  # labels of groups with usable quotes on the filter but none shown


def report_groups(session: Session) -> list[FocusGroup]:
    """Focus groups in the report's order: civil service first, then by group type."""
    groups = session.scalars(
        sa.select(FocusGroup).join(GroupType).order_by(GroupType.position, FocusGroup.id)
    ).all()
    return sorted(groups, key=lambda g: g.group_type.sector is not Sector.CIVIL_SERVICE)


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
    return [_record(quote) for quote in quotes]


def _record(quote: Quote) -> QuoteRecord:
    problem = quote_problem(quote)
    if problem is not None:
        raise InputError(quote.label, None, "text", f"quote is no longer verbatim: {problem}")
    participant = speaker_participant(quote.segment)
    group = participant.focus_group if participant else None
    pieces = [(str(p.kind), p.text, p.space) for p in pieces_of(quote)]
    return QuoteRecord(
        id=quote.id,
        label=quote.label,
        text=quote.text,
        code_key=quote.code.key if quote.code else "",
        group=group,
        speaker_id=participant.id if participant else None,
        refusal=quote_refusal(quote.segment),
        item=QuoteItem(
            quote.label, quote.text, group.label if group else "", pieces, quote.lead_in
        ),
    )


def pick(records: list[QuoteRecord], label: str) -> QuoteItem:
    record = next((r for r in records if r.label.lower() == label.lower()), None)
    if record is None:
        raise LookupError(f"no selected quote {label} (see `innostudy quotes list`)")
    if record.refusal is not None:
        raise LookupError(f"{record.label} cannot be used: {record.refusal}")
    return record.item


def _count(params: dict[str, str], key: str, default: int | None) -> int | None:
    text = params.get(key)
    if text is None:
        return default
    if not text.isdigit() or int(text) < 1:
        raise LookupError(f"{key} must be a whole number of at least 1, not '{text}'")
    return int(text)


def _named(groups: list[FocusGroup], names: str, key: str) -> list[FocusGroup]:
    """Groups named (name, label or group type) in a comma-separated list, in that order."""
    chosen: list[FocusGroup] = []
    for name in (n.strip().lower() for n in names.split(",") if n.strip()):
        found = [
            g for g in groups if name in {g.name.lower(), g.label.lower(), g.group_type.key.lower()}
        ]
        if not found:
            known = ", ".join(g.group_type.key for g in groups) or "none yet"
            raise LookupError(f"{key}= names no focus group '{name}' (group types: {known})")
        chosen += [g for g in found if g not in chosen]
    return chosen


def select(
    records: list[QuoteRecord], params: dict[str, str], groups: list[FocusGroup]
) -> QuoteSelection:
    """The balanced choice described in the module docstring."""
    unknown = set(params) - set(FILTERS)
    if unknown:
        known = ", ".join(f"{f}=" for f in FILTERS)
        raise LookupError(f"unknown filter '{sorted(unknown)[0]}' (use {known})")
    per_group = _count(params, "per_group", None)
    limit = _count(params, "limit", None if per_group else DEFAULT_LIMIT)
    order = _named(groups, params["order"], "order") if "order" in params else []
    order += [g for g in groups if g not in order]
    allowed = (
        {g.id for g in _named(groups, params["group"], "group")} if "group" in params else None
    )
    usable = [
        r
        for r in records
        if r.refusal is None
        and r.matches(params.get("code", ""), allowed, params.get("sector", ""))
    ]
    queues = {
        g.id: [r for r in usable if r.group is not None and r.group.id == g.id] for g in order
    }
    chosen = _round_robin([queues[g.id] for g in order], per_group, limit)
    rank = {g.id: i for i, g in enumerate(order)}
    chosen.sort(key=lambda r: (rank[r.group.id] if r.group else len(rank), r.id))
    shown = {r.group.id for r in chosen if r.group is not None}
    unshown = [g.label for g in order if queues[g.id] and g.id not in shown]
    return QuoteSelection([r.item for r in chosen], unshown)


def _round_robin(
    queues: list[list[QuoteRecord]], per_group: int | None, limit: int | None
) -> list[QuoteRecord]:
    chosen: list[QuoteRecord] = []
    speakers: set[int | None] = set()
    taken = [0] * len(queues)
    progress = True
    while progress and (limit is None or len(chosen) < limit):
        progress = False
        for i, queue in enumerate(queues):
            if limit is not None and len(chosen) >= limit:
                break
            if per_group is not None and taken[i] >= per_group:
                continue
            nxt = next((r for r in queue if r.speaker_id not in speakers), None)
            if nxt is None:
                continue
            queue.remove(nxt)
            chosen.append(nxt)
            speakers.add(nxt.speaker_id)
            taken[i] += 1
            progress = True
    return chosen
