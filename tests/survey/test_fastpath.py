"""Whatever the generated fast path accepts, the reference path reads the same and finds valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innostudy.survey.answers import validate_answers
from innostudy.survey.compiled import CompiledInstrument
from innostudy.survey.importing.decoding import RowDecoder
from innostudy.survey.importing.fastpath import compile_fast_check
from innostudy.survey.importing.formats import generic
from innostudy.survey.importing.plan import ColumnPlan
from innostudy.survey.importing.tables import open_table
from innostudy.survey.instrument import Instrument, load_instrument
from tests.survey.conftest import fixture


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (12 and 12.0 differ here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@pytest.fixture(scope="module")
def pilot() -> Instrument:
    return load_instrument(fixture("pilot_instrument.yaml"))


def plan_of(path: Path, instrument: Instrument) -> ColumnPlan:
    return generic.plan(open_table(path), instrument)


CELLS = [
    "",
    " ",
    "0",
    "1",
    "2",
    "3",
    "9",
    "1.0",
    "+1",
    " 1",
    "12",
    "120",
    "121",
    "1e3",
    "0.5",
    "nan",
    "x",
    "Y",
    "maybe",
    "2023-04-01",
    "2014-12-31",
    "2024-02-30",
    "2024-03-31 00:00",
    "it",
    "IT or web",
    "policy",
    "other",
    "Other",
    "under_100k",
    "Under £100,000",
    "£100,000 or more",
    "high",
    "High",
    "very_high",
    "ministers;users",
    "users;ministers",
    "ministers;ministers",
    "Senior managers, Service users",
    "rules|funding",
    "funding;culture;it;rules",
    "an answer",
    "x" * 81,
    "A regulatory change",
]


def check_row(instrument: Instrument, plan: ColumnPlan, cells: list[str], complete: bool) -> None:
    fast = compile_fast_check(plan, instrument)(cells, complete)
    answers, problems = RowDecoder(plan, instrument).decode(cells)
    if fast is None:
        return
    assert problems == []
    assert validate_answers(instrument, answers, complete=complete) == []
    assert CompiledInstrument(instrument).problems(answers, complete=complete) == []
    assert same(fast[0], answers), (fast[0], answers)
    assert same(json.loads(fast[1]), answers)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), complete=st.booleans(), layout=st.sampled_from(["good", "lists"]))
def test_the_fast_path_accepts_only_what_the_reference_accepts(
    pilot: Instrument, data: st.DataObject, complete: bool, layout: str
) -> None:
    plan = plan_of(fixture(f"generic_{layout}.csv"), pilot)
    cells = data.draw(
        st.lists(st.sampled_from(CELLS), min_size=len(plan.columns), max_size=len(plan.columns))
    )
    check_row(pilot, plan, cells, complete)


def test_the_fast_path_takes_the_plainly_written_rows(pilot: Instrument) -> None:
    """It must not give up on ordinary rows, or it is no faster."""
    table = open_table(fixture("generic_good.csv"))
    plan = generic.plan(table, pilot)
    fast = compile_fast_check(plan, pilot)
    taken = {
        cells[0]: fast(cells, cells[2] != "draft") is not None for _, cells in table.records(1)
    }
    assert len(taken) == 6 and all(taken.values()), taken  # values, exact labels and codes
    for _, cells in table.records(1):
        check_row(pilot, plan, cells, cells[2] != "draft")


def test_recodes_from_a_mapping_are_used_by_both_paths(pilot: Instrument) -> None:
    plan = plan_of(fixture("generic_good.csv"), pilot)
    plan.recodes = {"overall": {"top": "very_high"}}
    table = open_table(fixture("generic_good.csv"))
    cells = next(c for _, c in table.records(1) if c[0] == "Office of Codes")
    cells[plan.columns.index("overall")] = "top"
    check_row(pilot, plan, cells, True)
    fast = compile_fast_check(plan, pilot)(cells, True)
    assert fast is not None and fast[0]["overall"] == "very_high"
