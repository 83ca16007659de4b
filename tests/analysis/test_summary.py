"""Every named statistic equals an independent recomputation from the stored answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from innostudy.analysis import summary as analysis
from innostudy.analysis.frames import from_answers, population_from
from innostudy.analysis.outputs import write_analysis
from innostudy.demo.build import DemoSummary
from innostudy.errors import InnostudyError, InputError
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument import Instrument
from tests.analysis.conftest import synthetic_rows
from tests.analysis.reference import DEFAULT_STAGES, Reference, compare, rows_from_db


def test_demo_statistics_equal_the_database(
    demo_study: DemoSummary, demo_analysis: analysis.Summary, instrument: Instrument
) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as session:
        rows, population = rows_from_db(session)
    expected = Reference(instrument, rows, population, DEFAULT_STAGES).stats
    assert len(expected) > 2500
    assert compare(demo_analysis.stats, expected) == []


def test_the_demo_summary_json_equals_the_database(
    demo_study: DemoSummary, instrument: Instrument
) -> None:
    """The file `innostudy demo` wrote, not only the in-memory analysis."""
    saved = json.loads((demo_study.folder / "analysis" / "summary.json").read_text("utf-8"))
    with StudyStore.open(demo_study.folder) as store, store.session() as session:
        rows, population = rows_from_db(session)
    expected = Reference(instrument, rows, population, DEFAULT_STAGES).stats
    assert compare(saved["stats"], expected) == []
    assert saved["study"] == {
        "name": "Innovation in public organisations (synthetic demo)",
        "synthetic": True,
    }


def _population(rows: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for org_type, _ in rows:
        c = counts.setdefault(org_type, {"in_scope": 0, "invited": 0, "draft": 0, "submitted": 0})
        for key in ("in_scope", "invited", "submitted"):
            c[key] += 1
    return counts


@pytest.mark.parametrize(("n", "seed"), [(1, 1), (7, 2), (60, 3)])
def test_small_samples_equal_the_reference(instrument: Instrument, n: int, seed: int) -> None:
    rows = synthetic_rows(instrument, n, seed)
    result = analysis.analyse(from_answers(instrument, rows))
    assert compare(result.stats, Reference(instrument, rows, _population(rows)).stats) == []


def test_edge_cases_equal_the_reference(instrument: Instrument) -> None:
    """Nobody answered staff_count or enablers; everyone gave the same category; the
    'very_low' level of every impact item is never used; one organisation type has a
    single respondent."""
    rows = synthetic_rows(instrument, 12, 9)
    for i, (_, answers) in enumerate(rows):
        answers.pop("staff_count", None)
        answers.pop("enablers", None)
        answers["category"] = "it_web"
        answers.pop("category_other", None)
        answers["impacts"] = {
            k: ("high" if (i + len(k)) % 3 else "low") for k in answers["impacts"]
        }
    rows[0] = ("local_authority", rows[0][1])
    result = analysis.analyse(from_answers(instrument, rows))
    assert compare(result.stats, Reference(instrument, rows, _population(rows)).stats) == []
    stats = result.stats
    assert stats["staff_count.n"] == 0 and stats["staff_count.median"] is None
    assert stats["enablers.n"] == 0 and stats["enablers.top"] is None
    assert stats["category.it_web.pct"] == 100.0 and stats["category.it_web.ci_high"] == 100.0
    assert stats["category.by_org_type.test"] == "none"
    assert stats["impacts.efficiency.very_low.count"] == 0
    assert stats["impacts.efficiency.very_low.pct"] == 0.0


def test_no_responses_at_all(instrument: Instrument) -> None:
    population = population_from(
        [{"org_type": "ndpb", "in_scope": 3, "invited": 3, "draft": 1, "submitted": 0}]
    )
    result = analysis.analyse(from_answers(instrument, [], population=population))
    assert result.respondents == 0
    assert result.stats["response.rate"] == 0.0
    assert result.stats["category.n"] == 0
    assert result.stats["category.it_web.pct"] is None
    assert result.stats["barriers_ranked.top"] is None
    assert result.stats["impacts.top_item"] is None
    assert (
        compare(
            result.stats,
            Reference(
                instrument, [], {"ndpb": {"in_scope": 3, "invited": 3, "draft": 1, "submitted": 0}}
            ).stats,
        )
        == []
    )


def test_saved_analysis_reads_back_the_same(
    demo_analysis: analysis.Summary, tmp_path: Path
) -> None:
    path = write_analysis(demo_analysis, tmp_path / "analysis", tables=("parquet",))
    again = analysis.read(path.parent)
    assert again.stats == json.loads(json.dumps(demo_analysis.stats))
    assert again.figures == demo_analysis.figures
    for name, table in demo_analysis.tables.items():
        assert again.tables[name].equals(table), name


def test_stat_lookup_and_formatting(demo_analysis: analysis.Summary) -> None:
    s = demo_analysis
    assert analysis.stat(s, "response.submitted") == 97
    value = s.stats["time_to_market.median"]
    assert analysis.format_stat(s, "time_to_market.median") == (
        f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"  # type: ignore[arg-type]
    )
    pct = s.stats["category.it_web.pct"]
    assert analysis.format_stat(s, "category.it_web.pct") == f"{pct:.0f}%"
    assert analysis.format_stat(s, "category.it_web.small") in ("yes", "no")
    assert analysis.stat_names(s, "barriers_ranked.reluctance.*")[0].startswith(
        "barriers_ranked.reluctance."
    )
    assert analysis.figure_names(s, "*_diverging") == ["impacts_diverging"]


def test_unknown_names_are_clear_errors(demo_analysis: analysis.Summary) -> None:
    with pytest.raises(InnostudyError) as info:
        analysis.stat(demo_analysis, "time_to_market.medain")
    assert str(info.value) == (
        "unknown statistic 'time_to_market.medain'; did you mean 'time_to_market.median'"
        ", 'time_to_market.mean', 'time_to_market.min'? (`innostudy analyse --list` shows every name)"
    )
    with pytest.raises(InnostudyError, match="unknown figure 'nope'"):
        analysis.figure(demo_analysis, "nope")


def test_reading_a_missing_or_foreign_summary(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        analysis.read(tmp_path)
    assert (
        str(info.value) == f"{tmp_path / 'summary.json'}: not found; run `innostudy analyse` first"
    )
    (tmp_path / "summary.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(InputError, match="field 'format': not an innostudy analysis summary"):
        analysis.read(tmp_path)
    (tmp_path / "summary.json").write_text("{\n  oops", encoding="utf-8")
    with pytest.raises(InputError, match=r"summary.json, line 2: not valid JSON"):
        analysis.read(tmp_path)


def test_the_contract_names_from_the_issue_exist(demo_analysis: analysis.Summary) -> None:
    for name in (
        "time_to_market.mean",
        "time_to_market.median",
        "category.it_web.pct",
        "category.it_web.ci_low",
        "barriers_ranked.reluctance.first_share",
        "impacts.efficiency.high_share",
        "response.rate",
        "response.submitted",
        "category.by_org_type.p_value",
    ):
        assert name in demo_analysis.stats, name
    for name in (
        "barriers_ranked",
        "impacts_diverging",
        "stage_durations",
        "category_bars",
        "category_by_org_type",
    ):
        assert name in demo_analysis.figures, name
