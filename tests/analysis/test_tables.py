"""The tables on five hand-written responses, every number worked out by hand."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from innostudy.analysis.frames import from_answers
from innostudy.analysis.tables import TABLES, build_tables
from innostudy.survey.instrument import Instrument

ROWS: list[tuple[str, dict[str, Any]]] = [
    ("ndpb", {"category": "it_web", "barriers_ranked": ["reluctance", "funding"],
              "impacts": {"efficiency": "high", "core_costs": "low"}, "time_to_market": 10,
              "origin": ["ministers", "senior_managers"]}),
    ("ndpb", {"category": "it_web", "barriers_ranked": ["funding"],
              "impacts": {"efficiency": "very_high"}, "time_to_market": 20, "origin": ["ministers"]}),
    ("executive_agency", {"category": "policy", "barriers_ranked": ["reluctance", "skills", "funding"],
                          "impacts": {"efficiency": "moderate", "core_costs": "low"}, "time_to_market": 30}),
    ("executive_agency", {"category": "it_web", "impacts": {"efficiency": "high"}}),
    ("executive_agency", {"category": "service_delivery", "barriers_ranked": ["skills"]}),
]  # fmt: skip


@pytest.fixture(scope="module")
def tables(instrument: Instrument) -> dict[str, pl.DataFrame]:
    return build_tables(from_answers(instrument, ROWS))


def _row(frame: pl.DataFrame, **where: Any) -> dict[str, Any]:
    found = frame.filter(pl.all_horizontal(pl.col(k).eq_missing(v) for k, v in where.items()))
    assert found.height == 1, (where, found)
    return found.row(0, named=True)


def test_every_table_is_built_with_its_description(tables: dict[str, pl.DataFrame]) -> None:
    assert list(tables) == list(TABLES)


def test_choices(tables: dict[str, pl.DataFrame]) -> None:
    it_web = _row(tables["choices"], question="category", value="it_web")
    assert (it_web["n"], it_web["count"], it_web["pct"], it_web["small"]) == (5, 3, 60.0, True)
    assert _row(tables["choices"], question="category", value="procurement")["count"] == 0
    origin = tables["choices"].filter(pl.col("question") == "origin")
    assert origin["n"].unique().to_list() == [2]  # two answered; shares of those two
    assert _row(origin, value="ministers")["pct"] == 100.0
    assert _row(origin, value="senior_managers")["pct"] == 50.0


def test_rankings(tables: dict[str, pl.DataFrame]) -> None:
    ranked = tables["rankings"].filter(pl.col("question") == "barriers_ranked")
    assert ranked["value"].to_list()[:3] == ["reluctance", "funding", "skills"]
    reluctance = _row(ranked, value="reluctance")
    assert (reluctance["n"], reluctance["first_count"], reluctance["first_share"]) == (4, 2, 50.0)
    assert (reluctance["mention_count"], reluctance["mean_rank"]) == (2, 1.0)
    funding = _row(ranked, value="funding")
    assert (funding["first_count"], funding["mention_count"], funding["mean_rank"]) == (1, 3, 2.0)
    assert _row(ranked, value="skills")["mean_rank"] == 1.5
    assert _row(ranked, value="silos")["mean_rank"] is None
    positions = tables["rank_positions"].filter(pl.col("value") == "funding")
    assert positions.filter(pl.col("count") > 0)["rank"].to_list() == [1, 2, 3]
    assert positions["rank"].to_list() == [1, 2, 3, 4, 5]


def test_likert(tables: dict[str, pl.DataFrame]) -> None:
    efficiency = tables["likert"].filter(
        (pl.col("question") == "impacts") & (pl.col("item") == "efficiency")
    )
    assert efficiency["count"].to_list() == [0, 0, 1, 2, 1]
    assert efficiency["pct"].to_list() == [0.0, 0.0, 25.0, 50.0, 25.0]
    assert efficiency["diverging_start"].to_list() == [-12.5, -12.5, -12.5, 12.5, 62.5]
    summary = _row(tables["likert_summary"], question="impacts", item="efficiency")
    assert (summary["n"], summary["high_count"], summary["high_share"]) == (4, 3, 75.0)
    assert (summary["median"], summary["median_label"], summary["mean_score"]) == (4.0, "High", 4.0)
    costs = _row(tables["likert_summary"], question="impacts", item="core_costs")
    assert (costs["n"], costs["high_share"], costs["low_share"], costs["median_label"]) == (
        2,
        0.0,
        100.0,
        "Low",
    )
    nobody = _row(tables["likert_summary"], question="impacts", item="responsiveness")
    assert (nobody["n"], nobody["high_share"], nobody["median"]) == (0, None, None)


def test_numbers(tables: dict[str, pl.DataFrame]) -> None:
    ttm = _row(tables["numeric"], question="time_to_market")
    assert {k: ttm[k] for k in ("n", "mean", "sd", "median", "q1", "q3", "iqr", "min", "max")} == {
        "n": 3, "mean": 20.0, "sd": 10.0, "median": 20.0, "q1": 15.0, "q3": 25.0, "iqr": 10.0,
        "min": 10.0, "max": 30.0,
    }  # fmt: skip
    values = tables["numeric_values"].filter(pl.col("question") == "time_to_market")
    assert values.select("value", "count").rows() == [(10.0, 1), (20.0, 1), (30.0, 1)]
    by_type = tables["numeric_by_org_type"].filter(pl.col("question") == "time_to_market")
    assert by_type.select("org_type", "n", "median").rows() == [
        ("executive_agency", 1, 30.0), ("ndpb", 2, 15.0)
    ]  # fmt: skip
    assert _row(tables["numeric"], question="staff_count")["n"] == 0


def test_nonresponse(tables: dict[str, pl.DataFrame]) -> None:
    nr = tables["nonresponse"]
    barriers = _row(nr, question="barriers_ranked", item=None)
    assert (
        barriers["asked"],
        barriers["answered"],
        barriers["missing"],
        barriers["missing_pct"],
    ) == (5, 4, 1, 20.0)
    costs = _row(nr, question="impacts", item="core_costs")
    assert (costs["asked"], costs["answered"], costs["missing"]) == (5, 2, 3)
    other = _row(nr, question="category_other", item=None)
    assert (other["asked"], other["not_asked"], other["missing_pct"]) == (0, 5, None)


def test_crosstabs(tables: dict[str, pl.DataFrame]) -> None:
    cells = tables["crosstabs"].filter(pl.col("question") == "category")
    ndpb = _row(cells, org_type="ndpb", value="it_web")
    assert (ndpb["count"], ndpb["row_n"], ndpb["row_pct"]) == (2, 2, 100.0)
    agency = _row(cells, org_type="executive_agency", value="policy")
    assert (agency["count"], agency["row_n"]) == (1, 3)
    assert agency["row_pct"] == pytest.approx(100 / 3)
    ministers = tables["crosstabs"].filter(
        (pl.col("question") == "origin") & (pl.col("item") == "ministers")
    )
    assert _row(ministers, org_type="executive_agency", value="chosen")["row_pct"] is None
    test = _row(tables["crosstab_tests"], question="category", item=None)
    assert test["test"] == "monte_carlo" and test["note"].startswith("Monte-Carlo p-value")
    assert "6 of 6 expected counts are below 5" in test["note"]
    tests = tables["crosstab_tests"]
    assert tests["p_holm"].null_count() == tests["p_value"].null_count()
    assert (tests["p_holm"].fill_null(1) >= tests["p_value"].fill_null(1)).all()
    first = tables["crosstabs"].filter(pl.col("measure") == "ranked_first")
    assert _row(first, org_type="executive_agency", value="reluctance")["count"] == 1
    high = tables["crosstabs"].filter(
        (pl.col("item") == "efficiency") & (pl.col("value") == "high")
    )
    assert high.select("org_type", "count", "row_n").rows() == [
        ("executive_agency", 1, 2),
        ("ndpb", 2, 2),
    ]


def test_response_rates(tables: dict[str, pl.DataFrame]) -> None:
    rates = tables["response_rates"]
    assert rates["org_type"].to_list() == ["executive_agency", "ndpb", "all"]
    assert _row(rates, org_type="all")["rate"] == 100.0
