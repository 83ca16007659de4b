"""Likert items (single scales and matrix items): full distributions and their summaries.

A single Likert question is treated as a matrix with one item named after the question,
so both shapes give the same two tables: ``likert`` (every level of every item, with
Wilson intervals and the left edge of its diverging-bar segment) and ``likert_summary``
(share high, share low, median level, mean score).
"""

from __future__ import annotations

import polars as pl

from innostudy.analysis.choice_tables import stack
from innostudy.analysis.frames import SurveyData
from innostudy.analysis.statistics import (
    SMALL_CELL,
    diverging_starts,
    high_levels,
    mean_from_counts,
    median_from_counts,
    ordinal_median_label,
    wilson_interval,
    with_proportion,
)
from innostudy.survey.instrument import Question, QuestionType

LIKERT_SCHEMA = {
    "question": pl.String,
    "area": pl.String,
    "item": pl.String,
    "item_label": pl.String,
    "level": pl.String,
    "level_label": pl.String,
    "level_code": pl.Int64,
    "n": pl.Int64,
    "count": pl.Int64,
    "pct": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "small": pl.Boolean,
    "diverging_start": pl.Float64,
}
LIKERT_SUMMARY_SCHEMA = {
    "question": pl.String,
    "area": pl.String,
    "item": pl.String,
    "item_label": pl.String,
    "position": pl.Int64,
    "n": pl.Int64,
    "high_levels": pl.String,
    "high_count": pl.Int64,
    "high_share": pl.Float64,
    "high_ci_low": pl.Float64,
    "high_ci_high": pl.Float64,
    "low_count": pl.Int64,
    "low_share": pl.Float64,
    "median": pl.Float64,
    "median_label": pl.String,
    "mean_score": pl.Float64,
}


def scale_items(q: Question) -> list[tuple[str, str]]:
    """(item key, item label) of a Likert question; a single item for a single scale."""
    if q.type is QuestionType.LIKERT_MATRIX:
        return [(i.key, i.label) for i in q.items]
    return [(q.key, q.label)]


def item_levels(data: SurveyData, q: Question) -> pl.DataFrame:
    """One row per answered item: item key and level (long form of the question)."""
    col = pl.col(q.key)
    if q.type is QuestionType.LIKERT:
        return data.answers.select(pl.lit(q.key).alias("item"), col.alias("level")).drop_nulls()
    return (
        data.answers.select(col.struct.unnest())
        .unpivot(variable_name="item", value_name="level")
        .drop_nulls()
    )


def _counts_grid(data: SurveyData, q: Question) -> pl.DataFrame:
    items = scale_items(q)
    levels = pl.DataFrame(
        {
            "level": q.choice_values,
            "level_label": [c.label for c in q.choices],
            "level_code": list(range(1, len(q.choices) + 1)),
        },
        schema={"level": pl.String, "level_label": pl.String, "level_code": pl.Int64},
    )
    grid = pl.DataFrame(
        {
            "item": [k for k, _ in items],
            "item_label": [lbl for _, lbl in items],
            "item_pos": list(range(len(items))),
        },
        schema={"item": pl.String, "item_label": pl.String, "item_pos": pl.Int64},
    ).join(levels, how="cross")
    counts = (
        item_levels(data, q)
        .group_by("item", "level")
        .agg(pl.len().alias("count"))
        .with_columns(pl.col("level").cast(pl.String))
    )
    full = (
        grid.join(counts, on=["item", "level"], how="left", maintain_order="left")
        .with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
        .sort("item_pos", "level_code")
    )
    return full.with_columns(
        pl.col("count").sum().over("item").alias("n"),
        pl.lit(q.key).alias("question"),
        pl.lit(q.area).alias("area"),
    )


def _likert_rows(data: SurveyData, q: Question) -> tuple[pl.DataFrame, pl.DataFrame]:
    grid = _counts_grid(data, q)
    rows = with_proportion(grid, "count", "n")
    starts: list[float | None] = []
    summaries = []
    labels = [c.label for c in q.choices]
    top = high_levels(len(q.choices))
    for position, (item, item_label) in enumerate(scale_items(q), start=1):
        counts = grid.filter(pl.col("item") == item).sort("level_code")["count"].to_list()
        n = sum(counts)
        pcts = [100 * c / n for c in counts] if n else [0.0] * len(counts)
        starts += diverging_starts(pcts) if n else [None] * len(counts)
        summaries.append(_summary_row(q, item, item_label, position, counts, labels, top))
    rows = rows.with_columns(
        pl.Series("diverging_start", starts, dtype=pl.Float64),
        (pl.col("count") < SMALL_CELL).alias("small"),
    )
    return rows, pl.DataFrame(summaries, schema=LIKERT_SUMMARY_SCHEMA, orient="row")


def _summary_row(
    q: Question,
    item: str,
    item_label: str,
    position: int,
    counts: list[int],
    labels: list[str],
    top: int,
) -> tuple[object, ...]:
    n = sum(counts)
    high, low = sum(counts[-top:]), sum(counts[:top])
    interval = wilson_interval(high, n)
    median = median_from_counts(counts)
    return (
        q.key,
        q.area,
        item,
        item_label,
        position,
        n,
        " or ".join(labels[-top:]),
        high,
        100 * high / n if n else None,
        interval[0] if interval else None,
        interval[1] if interval else None,
        low,
        100 * low / n if n else None,
        median,
        ordinal_median_label(median, labels),
        mean_from_counts(counts),
    )


def likert_tables(data: SurveyData) -> tuple[pl.DataFrame, pl.DataFrame]:
    likert_types = (QuestionType.LIKERT, QuestionType.LIKERT_MATRIX)
    results = [_likert_rows(data, q) for q in data.instrument.questions() if q.type in likert_types]
    return (
        stack((r for r, _ in results), LIKERT_SCHEMA),
        stack((s for _, s in results), LIKERT_SUMMARY_SCHEMA),
    )
