"""Counts, percentages and Wilson intervals for choice questions, and the ranking tables.

Every choice of the instrument gets a row, chosen or not, so a level nobody picked shows
as 0 rather than vanishing. The base ``n`` is the number of respondents who answered the
question; for multi-choice questions percentages therefore add up to more than 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from innostudy.analysis.frames import SurveyData
from innostudy.analysis.statistics import SMALL_CELL, with_proportion
from innostudy.survey.instrument import Question, QuestionType

CHOICE_TYPES = (
    QuestionType.SINGLE_CHOICE,
    QuestionType.MONEY_BAND,
    QuestionType.LIKERT,
    QuestionType.MULTI_CHOICE,
)

CHOICES_SCHEMA = {
    "question": pl.String,
    "area": pl.String,
    "type": pl.String,
    "value": pl.String,
    "label": pl.String,
    "position": pl.Int64,
    "n": pl.Int64,
    "count": pl.Int64,
    "pct": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "small": pl.Boolean,
}
RANKINGS_SCHEMA = {
    "question": pl.String,
    "area": pl.String,
    "value": pl.String,
    "label": pl.String,
    "n": pl.Int64,
    "first_count": pl.Int64,
    "first_share": pl.Float64,
    "first_ci_low": pl.Float64,
    "first_ci_high": pl.Float64,
    "mention_count": pl.Int64,
    "mention_share": pl.Float64,
    "mention_ci_low": pl.Float64,
    "mention_ci_high": pl.Float64,
    "mean_rank": pl.Float64,
    "position": pl.Int64,
    "small": pl.Boolean,
}
RANK_POSITIONS_SCHEMA = {
    "question": pl.String,
    "value": pl.String,
    "label": pl.String,
    "rank": pl.Int64,
    "n": pl.Int64,
    "count": pl.Int64,
    "pct": pl.Float64,
}


def choice_frame(q: Question) -> pl.DataFrame:
    """The question's choices in instrument order: value, label, position (1-based)."""
    return pl.DataFrame(
        {
            "value": [c.value for c in q.choices],
            "label": [c.label for c in q.choices],
            "position": list(range(1, len(q.choices) + 1)),
        },
        schema={"value": pl.String, "label": pl.String, "position": pl.Int64},
    )


Schema = Mapping[str, pl.DataType | type[pl.DataType]]


def stack(parts: Iterable[pl.DataFrame], schema: Schema) -> pl.DataFrame:
    """Concatenate per-question parts into one table with a fixed schema (even when empty)."""
    frames = [p.select(list(schema)).cast(schema) for p in parts]  # type: ignore[arg-type]
    return pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=schema)


def value_counts(answers: pl.DataFrame, q: Question) -> tuple[pl.DataFrame, int]:
    """(value, count) of one choice question, and the number who answered it."""
    col = pl.col(q.key)
    answered = answers.select(col.is_not_null().sum()).item()
    values = col.explode() if q.type is QuestionType.MULTI_CHOICE else col
    counts = (
        answers.select(values.alias("value"))
        .drop_nulls()
        .group_by("value")
        .agg(pl.len().cast(pl.Int64).alias("count"))
        .with_columns(pl.col("value").cast(pl.String))
    )
    return counts, int(answered)


def _choice_rows(data: SurveyData, q: Question) -> pl.DataFrame:
    counts, answered = value_counts(data.answers, q)
    rows = (
        choice_frame(q)
        .join(counts, on="value", how="left", maintain_order="left")
        .with_columns(
            pl.col("count").fill_null(0),
            pl.lit(answered, dtype=pl.Int64).alias("n"),
            pl.lit(q.key).alias("question"),
            pl.lit(q.area).alias("area"),
            pl.lit(q.type.value).alias("type"),
        )
    )
    rows = with_proportion(rows, "count", "n")
    return rows.with_columns((pl.col("count") < SMALL_CELL).alias("small"))


def choices_table(data: SurveyData) -> pl.DataFrame:
    parts = (_choice_rows(data, q) for q in data.instrument.questions() if q.type in CHOICE_TYPES)
    return stack(parts, CHOICES_SCHEMA)


def ranks_long(answers: pl.DataFrame, q: Question) -> pl.DataFrame:
    """One row per ranked item: value and its rank (1 = ranked first)."""
    col = pl.col(q.key)
    return (
        answers.select(col.alias("value"), pl.int_ranges(1, col.list.len() + 1).alias("rank"))
        .explode(["value", "rank"])
        .drop_nulls()
    )


def _ranking_rows(data: SurveyData, q: Question) -> tuple[pl.DataFrame, pl.DataFrame]:
    answered = int(data.answers.select(pl.col(q.key).is_not_null().sum()).item())
    positions = (
        ranks_long(data.answers, q)
        .group_by("value", "rank")
        .agg(pl.len().alias("count"))
        .with_columns(pl.col("value").cast(pl.String))
    )
    per_item = positions.group_by("value").agg(
        pl.col("count").filter(pl.col("rank") == 1).sum().alias("first_count"),
        pl.col("count").sum().alias("mention_count"),
        ((pl.col("rank") * pl.col("count")).sum() / pl.col("count").sum()).alias("mean_rank"),
    )
    rows = (
        choice_frame(q)
        .drop("position")
        .join(per_item, on="value", how="left", maintain_order="left")
        .with_columns(
            pl.col("first_count", "mention_count").fill_null(0).cast(pl.Int64),
            pl.lit(answered, dtype=pl.Int64).alias("n"),
            pl.lit(q.key).alias("question"),
            pl.lit(q.area).alias("area"),
        )
    )
    rows = with_proportion(rows, "first_count", "n", prefix="first_", pct="share")
    rows = with_proportion(rows, "mention_count", "n", prefix="mention_", pct="share")
    rows = rows.sort(
        ["first_count", "mention_count", "mean_rank"],
        descending=[True, True, False],
        nulls_last=True,
        maintain_order=True,
    ).with_columns(
        pl.int_range(1, pl.len() + 1).cast(pl.Int64).alias("position"),
        (pl.col("first_count") < SMALL_CELL).alias("small"),
    )
    return rows, _rank_position_rows(q, positions, answered)


def _rank_position_rows(q: Question, positions: pl.DataFrame, answered: int) -> pl.DataFrame:
    observed = positions["rank"].max() if positions.height else 0
    deepest = max(q.max_selected or len(q.choices), int(observed or 0))  # type: ignore[arg-type]
    grid = choice_frame(q).join(
        pl.DataFrame({"rank": list(range(1, deepest + 1))}, schema={"rank": pl.Int64}),
        how="cross",
    )
    full = grid.join(
        positions.cast({"rank": pl.Int64}), on=["value", "rank"], how="left", maintain_order="left"
    )
    full = full.with_columns(
        pl.col("count").fill_null(0).cast(pl.Int64),
        pl.lit(answered, dtype=pl.Int64).alias("n"),
        pl.lit(q.key).alias("question"),
    ).with_columns(pl.when(pl.col("n") > 0).then(100 * pl.col("count") / pl.col("n")).alias("pct"))
    return full.sort("position", "rank")


def ranking_tables(data: SurveyData) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ranked list per ranking question, and how often each item took each rank.

    The list is ordered by the share ranking an item first, then by the share ranking it
    at all, then by its mean rank among those who ranked it (lower is higher up).
    """
    results = [
        _ranking_rows(data, q)
        for q in data.instrument.questions()
        if q.type is QuestionType.RANKING
    ]
    return (
        stack((r for r, _ in results), RANKINGS_SCHEMA),
        stack((p for _, p in results), RANK_POSITIONS_SCHEMA),
    )
