"""Survey questions as report tables: counts and percentages of submitted answers.

``{{table: QUESTION_KEY}}`` in the narrative shows one of these, built from the same
pure counts (analysis/counts.py) for every question with countable answers.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from innostudy.analysis import formatting
from innostudy.analysis.contingency import SIGNIFICANCE
from innostudy.analysis.counts import QuestionFigures, question_figures
from innostudy.analysis.statistics import SMALL_CELL
from innostudy.analysis.summary import Summary
from innostudy.reporting.document import Table
from innostudy.reporting.resolver import Unresolved
from innostudy.survey.instrument import Instrument, QuestionType

_NOT_COUNTABLE = (QuestionType.TEXT, QuestionType.LONG_TEXT, QuestionType.DATE)
_COUNT_HEADER = {
    QuestionType.RANKING: "Ranked first",
    QuestionType.LIKERT_MATRIX: "High or very high",
}


def countable_questions(instrument: Instrument) -> list[str]:
    return [q.key for q in instrument.questions() if q.type not in _NOT_COUNTABLE]


def _numbers_table(figures: QuestionFigures) -> Table:
    if not figures.answered:
        raise Unresolved("no submitted response answers it yet")
    n = figures.numbers
    rows = [[k.capitalize(), f"{n[k]:g}"] for k in ("mean", "median", "min", "max")] if n else []
    return Table(
        figures.label,
        ["", "Value"],
        rows,
        notes=[f"Base: {figures.answered} organisations that answered."],
        numeric=[False, True],
    )


def question_table(instrument: Instrument, key: str, answers: list[dict[str, Any]]) -> Table:
    q = instrument.question(key)
    figures = question_figures(q, answers)
    if q.type.is_numeric:
        return _numbers_table(figures)
    first = "Item" if q.type is QuestionType.LIKERT_MATRIX else "Answer"
    if not figures.answered:
        raise Unresolved("no submitted response answers it yet")
    rows = [
        [r.label, f"{r.count}{'†' if _small(r.count) else ''}", f"{r.percent:.1f}"]
        for r in figures.rows
    ]
    small = any(_small(r.count) for r in figures.rows)
    return Table(
        caption=q.label,
        header=[first, _COUNT_HEADER.get(q.type, "Organisations"), "%"],
        rows=rows,
        notes=[
            f"Base: {figures.answered} organisations that answered."
            + (f" † fewer than {SMALL_CELL} organisations: read with care." if small else "")
        ],
        numeric=[False, True, True],
    )


def _small(count: int) -> bool:
    return 0 < count < SMALL_CELL


def _label(summary: Summary, question: str, item: str | None) -> str:
    label = summary.question_label(question)
    return label if item is None or item == question else f"{label}: {item}"


def crosstab_names(summary: Summary) -> dict[str, tuple[str, str | None]]:
    """``<q>[.<item>].by_org_type`` → (question, item) for every cross-tabbed variable."""
    names = {}
    for row in summary.tables["crosstab_tests"].iter_rows(named=True):
        q, item = row["question"], row["item"]
        prefix = q if item is None or item == q else f"{q}.{item}"
        names[f"{prefix}.by_org_type"] = (q, item)
    return names


def crosstab_table(summary: Summary, question: str, item: str | None) -> Table:
    """Answers by organisation type: count and row %, small cells marked, the test below."""
    rows = summary.tables["crosstabs"].filter(
        (pl.col("question") == question)
        & (pl.col("item").is_null() if item is None else pl.col("item") == item)
    )
    if not rows.height or not int(rows["count"].sum()):
        raise Unresolved("no submitted response answers it yet")
    values = rows.unique("value_position", maintain_order=True).sort("value_position")
    body = []
    for (org_label,), part in rows.group_by("org_type_label", maintain_order=True):
        part = part.sort("value_position")
        n = int(part["row_n"][0])
        cells = [
            f"{c} ({formatting.pct(p)}){'†' if _small(c) else ''}" if n else "–"
            for c, p in zip(part["count"].to_list(), part["row_pct"].to_list(), strict=True)
        ]
        body.append([str(org_label), *cells, str(n)])
    test = (
        summary.tables["crosstab_tests"]
        .filter(
            (pl.col("question") == question)
            & (pl.col("item").is_null() if item is None else pl.col("item") == item)
        )
        .row(0, named=True)
    )
    if test["test"] in formatting.TEST_NAMES:
        tested = formatting.test_result(test["test"], test["p_value"], test["p_holm"]).capitalize()
    else:
        tested = str(test["note"]).capitalize()
    return Table(
        caption=f"{_label(summary, question, item)}, by organisation type",
        header=["Organisation type", *values["value_label"].to_list(), "Base"],
        rows=body,
        numeric=[False, *([True] * (values.height + 1))],
        notes=[
            f"Count (share of the row's base). † fewer than {SMALL_CELL} organisations: read "
            f"with care. {tested}."
        ],
    )


def tests_table(summary: Summary) -> Table:
    """Every test of association the analysis ran, with Holm-adjusted p-values."""
    tests = summary.tables["crosstab_tests"]
    done = tests.filter(pl.col("p_value").is_not_null())
    if not done.height:
        raise Unresolved("no cross-tab has enough answers for a test yet")
    body = [
        [
            _label(summary, r["question"], r["item"]),
            formatting.TEST_NAMES[r["test"]],
            formatting.count(r["n"]),
            formatting.p_value(r["p_value"]),
            formatting.p_value(r["p_holm"]),
        ]
        for r in done.sort("p_value").iter_rows(named=True)
    ]
    significant = done.filter(pl.col("p_holm") < SIGNIFICANCE).height
    untested = tests.height - done.height
    return Table(
        caption="Answers by organisation type: tests of association",
        header=["Question", "Test", "Base", "p", "Holm-adjusted p"],
        rows=body,
        numeric=[False, False, True, True, True],
        notes=[
            f"{done.height} tests, adjusted together by Holm's method; {significant} "
            f"{'is' if significant == 1 else 'are'} below {SIGNIFICANCE:g} after adjustment."
            + (f" {untested} cross-tabs had too few answers for any test." if untested else "")
        ],
    )
