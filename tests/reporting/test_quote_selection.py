"""Balanced quote blocks: groups take turns in a stated order, no speaker twice, no refusals,
and the groups left out are named."""

from __future__ import annotations

import pytest

from innostudy.model import FocusGroup, GroupType, Sector
from innostudy.reporting.document import QuoteItem
from innostudy.reporting.quotes import QuoteRecord, select

TYPES = [
    ("cs_senior", Sector.CIVIL_SERVICE),
    ("cs_mid", Sector.CIVIL_SERVICE),
    ("business", Sector.COMPARISON),
    ("consultants", Sector.COMPARISON),
]


def groups() -> list[FocusGroup]:
    out = []
    for i, (key, sector) in enumerate(TYPES, start=1):
        kind = GroupType(id=i, key=key, label=key, sector=sector, code_prefix=key[:3])
        out.append(FocusGroup(id=i, name=f"{key} group", label=f"{key} group", group_type=kind))
    return out


def record(n: int, group: FocusGroup, speaker: int, code: str = "barriers.risk") -> QuoteRecord:
    label = f"Q-{n}"
    return QuoteRecord(
        n,
        label,
        f"text {n}",
        code,
        group,
        speaker,
        None,
        QuoteItem(label, f"text {n}", group.label),
    )


@pytest.fixture
def study() -> tuple[list[FocusGroup], list[QuoteRecord]]:
    g = groups()
    senior, mid, business, consultants = g
    records = [
        record(1, business, 31),
        record(2, business, 32),
        record(3, business, 33),
        record(4, senior, 11),
        record(5, senior, 11),  # the same speaker again
        record(6, senior, 12, "barriers.funding"),
        record(7, mid, 21, "costs.speed"),
        record(8, consultants, 41),
    ]
    return g, records


def labels(chosen: list[QuoteItem]) -> list[str]:
    return [q.label for q in chosen]


def test_per_group_takes_one_from_each_group_in_report_order(
    study: tuple[list[FocusGroup], list[QuoteRecord]],
) -> None:
    g, records = study
    chosen = select(records, {"code": "barriers", "per_group": "1"}, g)
    assert labels(chosen.quotes) == ["Q-4", "Q-1", "Q-8"]  # civil service first, then type order
    assert chosen.unshown == []


def test_a_limit_is_filled_round_robin_and_the_cut_groups_are_named(
    study: tuple[list[FocusGroup], list[QuoteRecord]],
) -> None:
    g, records = study
    chosen = select(records, {"code": "barriers", "limit": "2"}, g)
    assert labels(chosen.quotes) == ["Q-4", "Q-1"]
    assert chosen.unshown == ["consultants group"]


def test_no_speaker_appears_twice_in_a_block(
    study: tuple[list[FocusGroup], list[QuoteRecord]],
) -> None:
    g, records = study
    chosen = select(records, {"group": "cs_senior", "limit": "5"}, g)
    assert labels(chosen.quotes) == ["Q-4", "Q-6"]  # Q-5 is speaker 11 again


def test_a_stated_order_comes_first(study: tuple[list[FocusGroup], list[QuoteRecord]]) -> None:
    g, records = study
    chosen = select(records, {"code": "barriers", "per_group": "1", "order": "business"}, g)
    assert labels(chosen.quotes) == ["Q-1", "Q-4", "Q-8"]


def test_refused_quotes_are_never_chosen(study: tuple[list[FocusGroup], list[QuoteRecord]]) -> None:
    g, records = study
    refused = [
        QuoteRecord(r.id, r.label, r.text, r.code_key, r.group, r.speaker_id, "withdrawn", r.item)
        if r.label == "Q-4"
        else r
        for r in records
    ]
    chosen = select(refused, {"group": "cs_senior"}, g)
    assert labels(chosen.quotes) == ["Q-5", "Q-6"]


def test_sector_and_several_groups_filter(
    study: tuple[list[FocusGroup], list[QuoteRecord]],
) -> None:
    g, records = study
    assert labels(select(records, {"sector": "comparison", "per_group": "2"}, g).quotes) == [
        "Q-1",
        "Q-2",
        "Q-8",
    ]
    two = select(records, {"group": "cs_mid,consultants group"}, g)
    assert labels(two.quotes) == ["Q-7", "Q-8"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"colour": "red"},
            "unknown filter 'colour' (use code=, group=, sector=, limit=, per_group=, order=)",
        ),
        ({"per_group": "0"}, "per_group must be a whole number of at least 1, not '0'"),
        (
            {"group": "nobody"},
            "group= names no focus group 'nobody' (group types: cs_senior, cs_mid, business, consultants)",
        ),
    ],
)
def test_bad_filters_say_why(
    study: tuple[list[FocusGroup], list[QuoteRecord]], params: dict[str, str], message: str
) -> None:
    g, records = study
    with pytest.raises(LookupError) as info:
        select(records, params, g)
    assert str(info.value) == message
