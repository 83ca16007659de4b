"""The tables flattened into named statistics: ``<question_key>.<…>.<statistic>``.

These names are a contract: the report engine's ``{{stat: time_to_market.median}}``
placeholders and the briefing read them, so they only ever grow. The full grammar is in
docs/analysis.md; in short::

    response.{in_scope,invited,not_started,draft,submitted,rate}
    response.<org_type>.{…same…}
    <q>.{asked,answered,missing,missing_pct}              every question
    <q>[.<item>].{asked,answered,missing,missing_pct}     Likert matrix items
    <q>.n, <q>.<choice>.{count,pct,ci_low,ci_high,small}  choice questions
    <q>.{top,top_label,top_pct,top_tied}
    <q>.<choice>.{first_count,first_share,first_ci_low,first_ci_high,
                  mention_count,mention_share,mention_ci_low,mention_ci_high,
                  mean_rank,position,small}                 rankings
    <q>.{top,top_label,top_first_share,top_tied}
    <q>[.<item>].{n,high_count,high_share,high_ci_low,high_ci_high,low_share,
                  median,median_label,mean_score}          Likert (item for matrices)
    <q>.<item>.<level>.{count,pct,ci_low,ci_high}          Likert matrix distributions
    <q>.{top_item,top_item_label,top_item_high_share,bottom_item,…}
    <q>.{n,mean,sd,median,q1,q3,iqr,min,max}               numbers and months
    <q>.by_org_type.<org_type>.{n,mean,median,q1,q3}
    <q>[.<item>].by_org_type.{test,n,statistic,df,p_value,p_holm,cramers_v,note}
    tests.{count,none,chi_square,fisher_exact,monte_carlo,significant_holm,…}
    <total>.stages_exceed.{n,count,pct}                    stage durations over the total
    <q>[.<item>].by_org_type.<org_type>.<value>.{count,pct,ci_low,ci_high}

Every percentage, share and interval bound is in percent (0–100).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from innostudy.analysis.contingency import SIGNIFICANCE
from innostudy.errors import InnostudyError

StatValue = int | float | str | bool | None

COUNT, PERCENT, TEXT, KEY, FLAG = "count", "%", "text", "key", "flag"
SCORE, RANK, P, STATISTIC = "score", "rank", "p", "statistic"


class Stats:
    """An ordered name → value map that refuses a name twice (a naming clash is a bug)."""

    def __init__(self) -> None:
        self.values: dict[str, StatValue] = {}
        self.units: dict[str, str] = {}

    def put(self, name: str, value: Any, unit: str) -> None:
        if name in self.values:
            raise InnostudyError(
                f"two statistics would be named '{name}'; rename the question or choice "
                "so its key does not clash with a statistic's name"
            )
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        self.values[name] = value
        self.units[name] = unit

    def put_row(self, prefix: str, row: Mapping[str, Any], fields: Mapping[str, str]) -> None:
        for field, unit in fields.items():
            self.put(f"{prefix}.{field}", row[field], unit)


def _rows(frame: pl.DataFrame) -> Iterable[dict[str, Any]]:
    return frame.iter_rows(named=True)


_RATE_FIELDS = {
    "in_scope": COUNT,
    "invited": COUNT,
    "not_started": COUNT,
    "draft": COUNT,
    "submitted": COUNT,
    "rate": PERCENT,
}
_NONRESPONSE = {"asked": COUNT, "answered": COUNT, "missing": COUNT, "missing_pct": PERCENT}
_CHOICE = {"count": COUNT, "pct": PERCENT, "ci_low": PERCENT, "ci_high": PERCENT, "small": FLAG}
_RANKING = {
    "first_count": COUNT,
    "first_share": PERCENT,
    "first_ci_low": PERCENT,
    "first_ci_high": PERCENT,
    "mention_count": COUNT,
    "mention_share": PERCENT,
    "mention_ci_low": PERCENT,
    "mention_ci_high": PERCENT,
    "mean_rank": RANK,
    "position": COUNT,
    "small": FLAG,
}
_LIKERT = {
    "n": COUNT,
    "high_count": COUNT,
    "high_share": PERCENT,
    "high_ci_low": PERCENT,
    "high_ci_high": PERCENT,
    "low_share": PERCENT,
    "median": SCORE,
    "median_label": TEXT,
    "mean_score": SCORE,
}
_LEVEL = {"count": COUNT, "pct": PERCENT, "ci_low": PERCENT, "ci_high": PERCENT}
_NUMERIC = ("n", "mean", "sd", "median", "q1", "q3", "iqr", "min", "max")
_BY_TYPE_NUMERIC = ("n", "mean", "median", "q1", "q3")
_TEST = {
    "test": TEXT,
    "n": COUNT,
    "statistic": STATISTIC,
    "df": COUNT,
    "p_value": P,
    "p_holm": P,
    "cramers_v": STATISTIC,
    "note": TEXT,
}
_CELL = {"count": COUNT, "row_pct": PERCENT, "ci_low": PERCENT, "ci_high": PERCENT}


def _response(stats: Stats, tables: Mapping[str, pl.DataFrame]) -> None:
    for row in _rows(tables["response_rates"]):
        prefix = "response" if row["org_type"] == "all" else f"response.{row['org_type']}"
        stats.put_row(prefix, row, _RATE_FIELDS)


def _nonresponse(stats: Stats, tables: Mapping[str, pl.DataFrame]) -> None:
    for row in _rows(tables["nonresponse"]):
        prefix = row["question"] if row["item"] is None else f"{row['question']}.{row['item']}"
        stats.put_row(prefix, row, _NONRESPONSE)


def _top(stats: Stats, q: str, rows: list[dict[str, Any]], key: str, out: str) -> None:
    """The row with the largest ``key`` (first in instrument order on a tie) and whether tied."""
    best = max(rows, key=lambda r: r[key] or 0)
    answered = rows[0]["n"] > 0
    stats.put(f"{q}.top", best["value"] if answered else None, KEY)
    stats.put(f"{q}.top_label", best["label"] if answered else None, TEXT)
    stats.put(f"{q}.{out}", best[out.removeprefix("top_")] if answered else None, PERCENT)
    stats.put(f"{q}.top_tied", sum(1 for r in rows if r[key] == best[key]) > 1, FLAG)


def _per_choice(
    stats: Stats, table: pl.DataFrame, fields: Mapping[str, str], key: str, out: str
) -> None:
    """``<q>.n``, a block per choice, and the top choice by ``key``."""
    for (q,), part in table.group_by("question", maintain_order=True):
        rows = list(_rows(part))
        stats.put(f"{q}.n", rows[0]["n"], COUNT)
        for row in rows:
            stats.put_row(f"{q}.{row['value']}", row, fields)
        _top(stats, str(q), rows, key, out)


def _choices(stats: Stats, tables: Mapping[str, pl.DataFrame]) -> None:
    _per_choice(stats, tables["choices"], _CHOICE, "count", "top_pct")


def _rankings(stats: Stats, tables: Mapping[str, pl.DataFrame]) -> None:
    _per_choice(stats, tables["rankings"], _RANKING, "first_count", "top_first_share")


def _likert(stats: Stats, tables: Mapping[str, pl.DataFrame]) -> None:
    summary = tables["likert_summary"]
    for (q,), part in summary.group_by("question", maintain_order=True):
        rows = list(_rows(part))
        single = len(rows) == 1 and rows[0]["item"] == q
        for row in rows:
            prefix = str(q) if single else f"{q}.{row['item']}"
            fields = {k: v for k, v in _LIKERT.items() if not (single and k == "n")}
            stats.put_row(prefix, row, fields)
        if not single:
            _extreme_items(stats, str(q), rows)
    for row in _rows(tables["likert"].filter(pl.col("item") != pl.col("question"))):
        stats.put_row(f"{row['question']}.{row['item']}.{row['level']}", row, _LEVEL)


def _extreme_items(stats: Stats, q: str, rows: list[dict[str, Any]]) -> None:
    rated = [r for r in rows if r["high_share"] is not None]
    for end, pick in (("top", max), ("bottom", min)):
        best = pick(rated, key=lambda r: r["high_share"]) if rated else None
        stats.put(f"{q}.{end}_item", best["item"] if best else None, KEY)
        stats.put(f"{q}.{end}_item_label", best["item_label"] if best else None, TEXT)
        stats.put(f"{q}.{end}_item_high_share", best["high_share"] if best else None, PERCENT)


def _numeric(stats: Stats, tables: Mapping[str, pl.DataFrame]) -> None:
    units: dict[str, str] = {}
    for row in _rows(tables["numeric"]):
        unit = "months" if row["type"] == "months" else "number"
        units[row["question"]] = unit
        stats.put_row(row["question"], row, {f: COUNT if f == "n" else unit for f in _NUMERIC})
    for row in _rows(tables["numeric_by_org_type"]):
        unit = units[row["question"]]
        fields = {f: COUNT if f == "n" else unit for f in _BY_TYPE_NUMERIC}
        stats.put_row(f"{row['question']}.by_org_type.{row['org_type']}", row, fields)


def _prefix(row: Mapping[str, Any]) -> str:
    """``<q>`` or ``<q>.<item>``; a single Likert's item is the question itself."""
    q, item = row["question"], row["item"]
    return q if item is None or item == q else f"{q}.{item}"


def _crosstabs(stats: Stats, tables: Mapping[str, pl.DataFrame]) -> None:
    for row in _rows(tables["crosstab_tests"]):
        stats.put_row(f"{_prefix(row)}.by_org_type", row, _TEST)
    for row in _rows(tables["crosstabs"]):
        prefix = f"{_prefix(row)}.by_org_type.{row['org_type']}.{row['value']}"
        for field, unit in _CELL.items():
            stats.put(f"{prefix}.{'pct' if field == 'row_pct' else field}", row[field], unit)


def _stage_checks(stats: Stats, tables: Mapping[str, pl.DataFrame]) -> None:
    for row in _rows(tables["stage_checks"]):
        prefix = f"{row['total']}.stages_exceed"
        stats.put(f"{prefix}.n", row["n"], COUNT)
        stats.put(f"{prefix}.count", row["exceed"], COUNT)
        stats.put(f"{prefix}.pct", row["exceed_pct"], PERCENT)


def _tests(stats: Stats, tables: Mapping[str, pl.DataFrame]) -> None:
    tests = tables["crosstab_tests"]
    stats.put("tests.count", tests.filter(pl.col("p_value").is_not_null()).height, COUNT)
    stats.put("tests.none", tests.filter(pl.col("p_value").is_null()).height, COUNT)
    for name in ("chi_square", "fisher_exact", "monte_carlo"):
        stats.put(f"tests.{name}", tests.filter(pl.col("test") == name).height, COUNT)
    significant = tests.filter(pl.col("p_holm") < SIGNIFICANCE).height
    stats.put("tests.significant_holm", significant, COUNT)
    unadjusted = tests.filter(pl.col("p_value") < SIGNIFICANCE).height
    stats.put("tests.significant_unadjusted", unadjusted, COUNT)


def flatten(tables: Mapping[str, pl.DataFrame]) -> tuple[dict[str, StatValue], dict[str, str]]:
    """Every named statistic and its unit, in a stable order."""
    stats = Stats()
    parts = (_response, _nonresponse, _choices, _rankings, _likert, _numeric, _crosstabs)
    for part in (*parts, _stage_checks, _tests):
        part(stats, tables)
    return stats.values, stats.units
