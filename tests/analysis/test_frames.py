"""Responses into frames: decoding, cleaning, who was asked what, and loading from a database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from innostudy.analysis.frames import (
    _decode_careful,
    _decode_fast,
    from_answers,
    load_survey_data,
)
from innostudy.model import ResponseSource, ResponseStatus
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from innostudy.survey.instrument import Instrument
from innostudy.survey.organisations import add_organisation
from innostudy.survey.relevance import is_relevant
from innostudy.survey.responses import Provenance, record_answers
from tests.analysis.conftest import synthetic_rows


def test_fast_and_careful_decoding_agree(instrument: Instrument) -> None:
    texts = [json.dumps(a) for _, a in synthetic_rows(instrument, 40, 5)]
    fast = _decode_fast(instrument, texts)
    careful, misfits = _decode_careful(instrument, texts)
    assert misfits == {}
    assert fast.equals(careful)
    assert fast.schema["impacts"] == pl.Struct(
        {i.key: pl.String for i in instrument.question("impacts").items}
    )


def test_answers_that_no_longer_fit_are_dropped_and_said(instrument: Instrument) -> None:
    rows: list[tuple[str, dict[str, Any]]] = [
        ("ndpb", {"time_to_market": "soon", "category": "it_web"}),
        (
            "ndpb",
            {"time_to_market": 12, "category": "retired_choice", "origin": ["ministers", "gone"]},
        ),
        ("ndpb", {"category_other": "stray", "category": "policy", "barriers_ranked": ["zzz"]}),
    ]
    data = from_answers(instrument, rows)
    assert data.answers["time_to_market"].to_list() == [None, 12.0, None]
    assert data.answers["category"].to_list() == ["it_web", None, "policy"]
    assert data.answers["origin"].to_list() == [None, ["ministers"], None]
    assert data.answers["barriers_ranked"].to_list() == [None, None, None]
    assert data.answers["category_other"].to_list() == [None, None, None]
    assert data.notes == (
        "time_to_market: 1 stored answer(s) do not fit the instrument's question type and are left out",
        "category: 1 answer value(s) are not among the instrument's choices and are left out",
        "origin: 1 answer value(s) are not among the instrument's choices and are left out",
        "barriers_ranked: 1 answer value(s) are not among the instrument's choices and are left out",
        "category_other: 1 answer(s) given although the skip rule hides the question; left out",
    )


def test_asked_follows_the_skip_rules_row_by_row(instrument: Instrument) -> None:
    rows = synthetic_rows(instrument, 80, 11)
    rows[0][1]["category"], rows[0][1]["category_other"] = "other", "Something else"
    data = from_answers(instrument, rows)
    for q in instrument.questions():
        expected = [is_relevant(q.relevance, answers) for _, answers in rows]
        assert data.asked[q.key].to_list() == expected, q.key
    assert 0 < data.asked["baseline"].sum() < len(rows)


def _study_with_responses(
    folder: Path, database_url: str, rows: list[tuple[str, dict[str, Any]]]
) -> StudyStore:
    init_study(folder, database_url=database_url)
    store = StudyStore.open(folder, database_url=database_url)
    provenance = Provenance(ResponseSource.API, actor="test")
    with store.session() as s:
        for i, (org_type, answers) in enumerate(rows):
            org = add_organisation(s, f"Organisation {i}", org_type)
            status = ResponseStatus.DRAFT if i % 5 == 4 else ResponseStatus.SUBMITTED
            record_answers(
                s, org, answers, status=status, provenance=provenance, instrument_version="1.0"
            )
        add_organisation(s, "Never answered", "ndpb")
    return store


def test_loading_from_the_database(
    database_url: str, tmp_path: Path, instrument: Instrument
) -> None:
    rows = synthetic_rows(instrument, 15, 21)
    rows[1][1]["time_to_market"] = "soon"  # stored before an instrument change, say
    rows[12][1]["time_to_market"] = "later"
    with (
        _study_with_responses(tmp_path / "study", database_url, rows) as store,
        store.session() as s,
    ):
        data = load_survey_data(s, instrument, chunk=4)  # several chunks, stitched together
    submitted = [r for i, r in enumerate(rows) if i % 5 != 4]
    expected = from_answers(instrument, submitted)
    assert data.answers.drop("response_id").equals(expected.answers.drop("response_id"))
    assert data.notes == (
        "time_to_market: 2 stored answer(s) do not fit the instrument's question type "
        "and are left out",
    )
    population = {r["org_type"]: r for r in data.population.iter_rows(named=True)}
    for org_type in {t for t, _ in rows}:
        mine = [i for i, (t, _) in enumerate(rows) if t == org_type]
        extra = 1 if org_type == "ndpb" else 0
        assert population[org_type] == {
            "org_type": org_type,
            "in_scope": len(mine) + extra,
            "invited": len(mine),
            "draft": sum(1 for i in mine if i % 5 == 4),
            "submitted": sum(1 for i in mine if i % 5 != 4),
        }


@pytest.mark.parametrize("bad", ['{"time_to_market": "x"}', '{"impacts": ["high"]}'])
def test_careful_path_takes_over_on_any_type_clash(instrument: Instrument, bad: str) -> None:
    frame, misfits = _decode_careful(instrument, [bad, "{}"])
    assert frame.height == 2 and sum(misfits.values()) == 1
