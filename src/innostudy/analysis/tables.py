"""All the analysis tables, tidy (one observation per row), computed from SurveyData.

``build_tables`` is the one entry point; every table has a fixed schema, even when no
question of its kind exists or nobody answered. The descriptions below are written out
with the tables (XLSX "about" sheet) and in docs/analysis.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from innostudy.analysis.choice_tables import choices_table, ranking_tables
from innostudy.analysis.crosstabs import crosstab_tables
from innostudy.analysis.frames import ORG_TYPE, SurveyData, org_type_order, with_org_type_label
from innostudy.analysis.numeric_tables import numeric_tables
from innostudy.analysis.scale_tables import likert_tables
from innostudy.analysis.stage_checks import StageRule, stage_checks_table
from innostudy.survey.instrument import QuestionType
from innostudy.survey.organisations import UNIDENTIFIED

TABLES: dict[str, str] = {
    "questions": "Every question: area, section, type, label and skip rule.",
    "response_rates": "Organisations in scope, invited, draft and submitted, by type and in all.",
    "nonresponse": "Per question (and Likert item): asked by the skip rules, answered, missing.",
    "choices": "Single, multi-choice, cost-band and Likert answers: count, %, 95% Wilson CI.",
    "rankings": "Ranking questions: share ranking each item first and at all, mean rank, order.",
    "rank_positions": "Ranking questions: how many put each item at each rank.",
    "likert": "Likert items: every level's count, %, Wilson CI and diverging-bar start.",
    "likert_summary": "Likert items: share high/low with Wilson CI, median level, mean score.",
    "numeric": "Numbers and months: n, mean, sd, median, quartiles, IQR, min, max.",
    "numeric_values": "Numbers and months: how many gave each distinct value.",
    "numeric_by_org_type": "Numbers and months by organisation type: n, mean, median, quartiles.",
    "crosstabs": "Answers by organisation type: count, row %, Wilson CI (see measure).",
    "crosstab_tests": "One test of association per cross-tab: chi-square, Fisher exact, "
    "Monte-Carlo, or a note; p-values Holm-adjusted across all of them.",
    "stage_checks": "Responses whose stage durations add up to more than their total.",
}

NONRESPONSE_SCHEMA = {
    "question": pl.String,
    "item": pl.String,
    "area": pl.String,
    "type": pl.String,
    "respondents": pl.Int64,
    "asked": pl.Int64,
    "not_asked": pl.Int64,
    "answered": pl.Int64,
    "missing": pl.Int64,
    "missing_pct": pl.Float64,
}


def questions_table(data: SurveyData) -> pl.DataFrame:
    qs = list(data.instrument.questions())
    return pl.DataFrame(
        {
            "question": [q.key for q in qs],
            "area": [q.area for q in qs],
            "section": [q.section for q in qs],
            "type": [q.type.value for q in qs],
            "label": [q.label for q in qs],
            "required": [q.required for q in qs],
            "relevant": [q.relevant or "" for q in qs],
        }
    )


def response_rates_table(data: SurveyData) -> pl.DataFrame:
    """Per organisation type and for all: how far organisations got, and the response rate."""
    pop = data.population
    order = org_type_order(pop[ORG_TYPE].to_list())
    by_type = pop.with_columns(
        pl.col(ORG_TYPE).replace_strict({t: i for i, t in enumerate(order)}).alias("order")
    ).sort("order")
    known = pop.filter(pl.col(ORG_TYPE) != UNIDENTIFIED)  # anonymous: no population
    total = known.select(pl.lit("all").alias(ORG_TYPE), pl.col(pl.Int64).sum())
    rows = pl.concat([by_type.drop("order"), total], how="vertical_relaxed")
    rows = with_org_type_label(rows).with_columns(
        pl.when(pl.col(ORG_TYPE) == "all")
        .then(pl.lit("All organisations"))
        .otherwise(pl.col("org_type_label"))
        .alias("org_type_label"),
        (pl.col("in_scope") - pl.col("draft") - pl.col("submitted")).alias("not_started"),
        pl.when((pl.col("in_scope") > 0) & (pl.col(ORG_TYPE) != UNIDENTIFIED))
        .then(100 * pl.col("submitted") / pl.col("in_scope"))
        .alias("rate"),
    )
    return rows.select(
        ORG_TYPE,
        "org_type_label",
        "in_scope",
        "invited",
        "not_started",
        "draft",
        "submitted",
        "rate",
    )


def nonresponse_table(data: SurveyData) -> pl.DataFrame:
    """Item non-response: of those the skip rules showed a question to, how many left it blank."""
    answers, asked = data.answers, data.asked
    exprs: list[pl.Expr] = []
    labels: list[tuple[str, str | None, str, str]] = []
    for q in data.instrument.questions():
        shown = asked[q.key] if q.key in asked.columns else pl.lit(True)
        col = pl.col(q.key)
        if q.type is QuestionType.LIKERT_MATRIX:
            fields = [col.struct.field(i.key).is_not_null() for i in q.items]
            given = pl.any_horizontal(fields) if fields else pl.lit(False)
            for matrix_item, field in zip(q.items, fields, strict=True):
                exprs += _counted(shown, field, f"{q.key}/{matrix_item.key}")
                labels.append((q.key, matrix_item.key, q.area, q.type.value))
        else:
            given = col.is_not_null()
        exprs += _counted(shown, given, q.key)
        labels.append((q.key, None, q.area, q.type.value))
    counts = answers.select(exprs) if exprs else pl.DataFrame()
    rows = []
    for key, item, area, qtype in labels:
        name = key if item is None else f"{key}/{item}"
        shown_n, given_n = int(counts[f"{name}#asked"][0]), int(counts[f"{name}#answered"][0])
        missing = shown_n - given_n
        rows.append(
            (
                key,
                item,
                area,
                qtype,
                answers.height,
                shown_n,
                answers.height - shown_n,
                given_n,
                missing,
                100 * missing / shown_n if shown_n else None,
            )
        )
    return _sorted_nonresponse(pl.DataFrame(rows, schema=NONRESPONSE_SCHEMA, orient="row"))


def _counted(shown: pl.Series | pl.Expr, given: pl.Expr, name: str) -> list[pl.Expr]:
    shown_expr = pl.lit(shown) if isinstance(shown, pl.Series) else shown
    return [
        shown_expr.sum().alias(f"{name}#asked"),
        (shown_expr & given).sum().alias(f"{name}#answered"),
    ]


def _sorted_nonresponse(rows: pl.DataFrame) -> pl.DataFrame:
    """Question order, the whole question before its items."""
    order = {key: i for i, key in enumerate(dict.fromkeys(rows["question"].to_list()))}
    return (
        rows.with_columns(
            pl.col("question").replace_strict(order, return_dtype=pl.Int64).alias("_q"),
            pl.col("item").is_not_null().alias("_is_item"),
            pl.int_range(pl.len()).alias("_i"),
        )
        .sort("_q", "_is_item", "_i")
        .drop("_q", "_is_item", "_i")
    )


def build_tables(
    data: SurveyData, stage_rules: Sequence[StageRule] = ()
) -> dict[str, pl.DataFrame]:
    """Every table, by name, in the order of ``TABLES``."""
    rankings, rank_positions = ranking_tables(data)
    likert, likert_summary = likert_tables(data)
    numeric, numeric_values, numeric_by_type = numeric_tables(data)
    crosstabs, tests = crosstab_tables(data)
    built = {
        "questions": questions_table(data),
        "response_rates": response_rates_table(data),
        "nonresponse": nonresponse_table(data),
        "choices": choices_table(data),
        "rankings": rankings,
        "rank_positions": rank_positions,
        "likert": likert,
        "likert_summary": likert_summary,
        "numeric": numeric,
        "numeric_values": numeric_values,
        "numeric_by_org_type": numeric_by_type,
        "crosstabs": crosstabs,
        "crosstab_tests": tests,
        "stage_checks": stage_checks_table(data, list(stage_rules)),
    }
    assert list(built) == list(TABLES)
    return built
