"""Answers by organisation type, with a test of association where the counts allow one.

What is cross-tabulated (the ``measure`` column):

=============  ==================================================================
answer         single choices and cost bands: every choice
ranked_first   rankings: the item ranked first
chosen         multi-choice: each choice, chosen or not (``item`` names the choice)
high           Likert items: the top levels (``high_levels``) against the rest
=============  ==================================================================

Likert items are split in two because five levels across four or more organisation
types leaves almost every expected count below 5 with ~100 respondents; the split keeps
a test possible and answers the question a focus group asks ("do agencies rate it
higher?"). The test itself is chosen in contingency.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from innostudy.analysis.choice_tables import stack
from innostudy.analysis.contingency import association_test, holm
from innostudy.analysis.frames import ORG_TYPE, SurveyData, org_type_order, with_org_type_label
from innostudy.analysis.scale_tables import scale_items
from innostudy.analysis.statistics import SMALL_CELL, high_levels, with_proportion
from innostudy.survey.instrument import Question, QuestionType

CROSSTABS_SCHEMA = {
    "question": pl.String,
    "item": pl.String,
    "measure": pl.String,
    "org_type": pl.String,
    "org_type_label": pl.String,
    "value": pl.String,
    "value_label": pl.String,
    "value_position": pl.Int64,
    "count": pl.Int64,
    "row_n": pl.Int64,
    "row_pct": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "small": pl.Boolean,
}
TESTS_SCHEMA = {
    "question": pl.String,
    "item": pl.String,
    "measure": pl.String,
    "test": pl.String,
    "n": pl.Int64,
    "rows": pl.Int64,
    "columns": pl.Int64,
    "statistic": pl.Float64,
    "df": pl.Int64,
    "p_value": pl.Float64,
    "p_holm": pl.Float64,
    "cramers_v": pl.Float64,
    "min_expected": pl.Float64,
    "expected_below_5": pl.Int64,
    "note": pl.String,
}
_COUNTS = {ORG_TYPE: pl.String, "item": pl.String, "value": pl.String, "count": pl.Int64}


@dataclass(frozen=True)
class Variable:
    """One cross-tabbed variable: its values in display order and their labels."""

    item: str | None
    measure: str
    values: list[tuple[str, str]]


def _single_counts(answers: pl.DataFrame, col: pl.Expr) -> pl.DataFrame:
    return (
        answers.select(ORG_TYPE, col.alias("value"), pl.lit(None, pl.String).alias("item"))
        .drop_nulls("value")
        .group_by(ORG_TYPE, "item", "value")
        .agg(pl.len().alias("count"))
        .with_columns(pl.col("value", ORG_TYPE).cast(pl.String))
    )


def _yes_no_counts(
    answers: pl.DataFrame, flags: dict[str, tuple[pl.Expr, pl.Expr]], yes: str, no: str
) -> pl.DataFrame:
    """Per organisation type and item: how many said yes and how many answered at all.

    ``flags`` maps an item to (is yes, answered) expressions; one group-by computes them
    all, which at a million responses is far cheaper than unpivoting a struct.
    """
    aggs = [
        expr.fill_null(False).sum().alias(f"{item}\x1f{kind}")
        for item, pair in flags.items()
        for kind, expr in zip(("yes", "all"), pair, strict=True)
    ]
    wide = answers.group_by(ORG_TYPE).agg(aggs)
    rows = []
    for item in flags:
        yes_count, answered = pl.col(f"{item}\x1fyes"), pl.col(f"{item}\x1fall")
        for value, count in ((yes, yes_count), (no, answered - yes_count)):
            rows.append(
                wide.select(
                    pl.col(ORG_TYPE).cast(pl.String),
                    pl.lit(item).alias("item"),
                    pl.lit(value).alias("value"),
                    count.alias("count"),
                )
            )
    return pl.concat(rows) if rows else pl.DataFrame(schema=_COUNTS)


def _chosen_counts(answers: pl.DataFrame, q: Question) -> pl.DataFrame:
    """Chosen and not chosen, per organisation type and option (one explode, two group-bys)."""
    col = pl.col(q.key)
    answered = answers.group_by(ORG_TYPE).agg(col.is_not_null().sum().alias("answered"))
    chosen = (
        answers.select(ORG_TYPE, col.alias("item"))
        .explode("item")
        .drop_nulls("item")
        .group_by(ORG_TYPE, "item")
        .agg(pl.len().alias("count"))
        .with_columns(pl.col("item").cast(pl.String))
    )
    options = pl.DataFrame({"item": q.choice_values}, schema={"item": pl.String})
    both = (
        answered.join(options, how="cross")
        .join(chosen, on=[ORG_TYPE, "item"], how="left", maintain_order="left")
        .with_columns(pl.col("count").fill_null(0), pl.col(ORG_TYPE).cast(pl.String))
    )
    not_chosen = (pl.col("answered") - pl.col("count")).alias("count")
    return pl.concat(
        [
            both.select(ORG_TYPE, "item", pl.lit("chosen").alias("value"), "count"),
            both.select(ORG_TYPE, "item", pl.lit("not_chosen").alias("value"), not_chosen),
        ]
    )


def _high_counts(data: SurveyData, q: Question) -> pl.DataFrame:
    top = q.choice_values[-high_levels(len(q.choices)) :]
    col = pl.col(q.key)
    levels = (
        {i.key: col.struct.field(i.key) for i in q.items}
        if q.type is QuestionType.LIKERT_MATRIX
        else {q.key: col}
    )
    flags = {item: (level.is_in(top), level.is_not_null()) for item, level in levels.items()}
    return _yes_no_counts(data.answers, flags, "high", "not_high")


def variables(q: Question) -> list[Variable]:
    """The variables a question contributes to the cross-tabs (none for text or numbers)."""
    choices = [(c.value, c.label) for c in q.choices]
    if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MONEY_BAND):
        return [Variable(None, "answer", choices)]
    if q.type is QuestionType.RANKING:
        return [Variable(None, "ranked_first", choices)]
    if q.type is QuestionType.MULTI_CHOICE:
        yes_no = [("chosen", "Chosen"), ("not_chosen", "Not chosen")]
        return [Variable(v, "chosen", yes_no) for v, _ in choices]
    if q.type in (QuestionType.LIKERT, QuestionType.LIKERT_MATRIX):
        top = " or ".join(label for _, label in choices[-high_levels(len(choices)) :])
        split = [("high", top), ("not_high", "Lower")]
        items = scale_items(q)
        return [Variable(key, "high", split) for key, _ in items]
    return []


def _counts(data: SurveyData, q: Question) -> pl.DataFrame:
    col = pl.col(q.key)
    if q.type is QuestionType.MULTI_CHOICE:
        return _chosen_counts(data.answers, q)
    if q.type is QuestionType.RANKING:
        return _single_counts(data.answers, col.list.first())
    if q.type in (QuestionType.LIKERT, QuestionType.LIKERT_MATRIX):
        return _high_counts(data, q)
    return _single_counts(data.answers, col)


def _variable_rows(
    q: Question, var: Variable, counts: pl.DataFrame, org_types: list[str]
) -> tuple[pl.DataFrame, tuple[object, ...]]:
    mine = counts.filter(
        pl.col("item").is_null() if var.item is None else pl.col("item") == var.item
    )
    grid = pl.DataFrame(
        {
            ORG_TYPE: [t for t in org_types for _ in var.values],
            "value": [v for _ in org_types for v, _ in var.values],
            "value_label": [label for _ in org_types for _, label in var.values],
            "value_position": [i for _ in org_types for i in range(1, len(var.values) + 1)],
        },
        schema={
            ORG_TYPE: pl.String,
            "value": pl.String,
            "value_label": pl.String,
            "value_position": pl.Int64,
        },
    )
    rows = grid.join(
        mine.drop("item"), on=[ORG_TYPE, "value"], how="left", maintain_order="left"
    ).with_columns(
        pl.col("count").fill_null(0).cast(pl.Int64),
        pl.lit(q.key).alias("question"),
        pl.lit(var.item, pl.String).alias("item"),
        pl.lit(var.measure).alias("measure"),
    )
    rows = rows.with_columns(pl.col("count").sum().over(ORG_TYPE).alias("row_n"))
    rows = with_proportion(rows, "count", "row_n", pct="row_pct")
    rows = with_org_type_label(rows).with_columns((pl.col("count") < SMALL_CELL).alias("small"))
    table = [
        rows.filter(pl.col(ORG_TYPE) == t).sort("value_position")["count"].to_list()
        for t in org_types
    ]
    result = association_test(table)
    test_row = (
        q.key,
        var.item,
        var.measure,
        result.test,
        result.n,
        result.rows,
        result.columns,
        result.statistic,
        result.df,
        result.p_value,
        None,  # Holm-adjusted once every test is known
        result.cramers_v,
        result.min_expected,
        result.expected_below_5,
        result.note,
    )
    return rows, test_row


def crosstab_tables(data: SurveyData) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every cross-tab by organisation type, and one test row per cross-tabbed variable."""
    org_types = org_type_order(data.answers[ORG_TYPE].unique().cast(pl.String).to_list())
    parts: list[pl.DataFrame] = []
    tests: list[tuple[object, ...]] = []
    for q in data.instrument.questions():
        found = variables(q)
        if not found:
            continue
        counts = _counts(data, q).cast(_COUNTS)  # type: ignore[arg-type]
        for var in found:
            rows, test_row = _variable_rows(q, var, counts, org_types)
            parts.append(rows)
            tests.append(test_row)
    table = pl.DataFrame(tests, schema=TESTS_SCHEMA, orient="row")
    adjusted = holm(table["p_value"].to_list())
    table = table.with_columns(pl.Series("p_holm", adjusted, dtype=pl.Float64))
    return stack(parts, CROSSTABS_SCHEMA), table
