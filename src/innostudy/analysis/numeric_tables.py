"""Numbers and months: summaries, the distribution of values, and summaries by organisation type.

All numeric questions are stacked into one long frame first (question, org_type, value),
so each table is a single group-by however many questions there are.
"""

from __future__ import annotations

import polars as pl

from innostudy.analysis.choice_tables import stack
from innostudy.analysis.frames import ORG_TYPE, SurveyData, org_type_order, with_org_type_label
from innostudy.analysis.statistics import numeric_aggregations
from innostudy.survey.instrument import Question

NUMERIC_SCHEMA = {
    "question": pl.String,
    "area": pl.String,
    "type": pl.String,
    "n": pl.Int64,
    "mean": pl.Float64,
    "sd": pl.Float64,
    "median": pl.Float64,
    "q1": pl.Float64,
    "q3": pl.Float64,
    "iqr": pl.Float64,
    "min": pl.Float64,
    "max": pl.Float64,
}
NUMERIC_VALUES_SCHEMA = {"question": pl.String, "value": pl.Float64, "count": pl.Int64}
NUMERIC_BY_ORG_TYPE_SCHEMA = {
    "question": pl.String,
    "org_type": pl.String,
    "org_type_label": pl.String,
    "n": pl.Int64,
    "mean": pl.Float64,
    "median": pl.Float64,
    "q1": pl.Float64,
    "q3": pl.Float64,
    "min": pl.Float64,
    "max": pl.Float64,
}


def numeric_questions(data: SurveyData) -> list[Question]:
    return [q for q in data.instrument.questions() if q.type.is_numeric]


def numeric_long(data: SurveyData) -> pl.DataFrame:
    """question, org_type, value for every numeric answer given."""
    keys = [q.key for q in numeric_questions(data)]
    if not keys:
        return pl.DataFrame(
            schema={"question": pl.String, ORG_TYPE: pl.String, "value": pl.Float64}
        )
    return (
        data.answers.select(ORG_TYPE, *keys)
        .unpivot(index=ORG_TYPE, on=keys, variable_name="question", value_name="value")
        .drop_nulls("value")
    )


def _order(data: SurveyData) -> pl.DataFrame:
    questions = numeric_questions(data)
    return pl.DataFrame(
        {
            "question": [q.key for q in questions],
            "area": [q.area for q in questions],
            "type": [q.type.value for q in questions],
            "order": list(range(len(questions))),
        },
        schema={"question": pl.String, "area": pl.String, "type": pl.String, "order": pl.Int64},
    )


def numeric_tables(data: SurveyData) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The summary per question, the count of each distinct value, and summaries by type."""
    long = numeric_long(data)
    order = _order(data)
    summary = (
        order.join(
            long.group_by("question").agg(numeric_aggregations()),
            on="question",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            pl.col("n").fill_null(0),
            (pl.col("q3") - pl.col("q1")).alias("iqr"),
        )
        .sort("order")
    )
    values = (
        long.group_by("question", "value")
        .agg(pl.len().cast(pl.Int64).alias("count"))
        .join(order, on="question")
        .sort("order", "value")
    )
    by_type = (
        long.group_by("question", ORG_TYPE)
        .agg(numeric_aggregations())
        .join(order, on="question")
        .sort("order", ORG_TYPE)
    )
    rank = {t: i for i, t in enumerate(org_type_order(by_type[ORG_TYPE].to_list()))}
    by_type = with_org_type_label(by_type).sort(
        pl.col("order"), pl.col(ORG_TYPE).replace_strict(rank, return_dtype=pl.Int64)
    )
    return (
        stack([summary], NUMERIC_SCHEMA),
        stack([values], NUMERIC_VALUES_SCHEMA),
        stack([by_type], NUMERIC_BY_ORG_TYPE_SCHEMA),
    )
