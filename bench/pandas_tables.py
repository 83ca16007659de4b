"""The same tables as innostudy.analysis, written the straightforward pandas way.

This is the baseline the benchmark compares against: idiomatic pandas (value_counts,
explode, groupby, crosstab) with statsmodels for Wilson intervals and scipy for the
tests, and no tuning. It reads the same analysis-ready frame (converted to pandas before
the clock starts) and must give the same counts; bench_analyse.py checks that it does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.stats.contingency import expected_freq
from statsmodels.stats.proportion import proportion_confint

from innostudy.survey.instrument import Instrument, QuestionType

CHOICE = (QuestionType.SINGLE_CHOICE, QuestionType.MONEY_BAND, QuestionType.LIKERT)


def _wilson(frame: pd.DataFrame, count: str, n: str) -> pd.DataFrame:
    valid = frame[n] > 0
    low, high = proportion_confint(frame[count], frame[n].where(valid, 1), method="wilson")
    frame["pct"] = np.where(valid, 100 * frame[count] / frame[n].where(valid, 1), np.nan)
    frame["ci_low"] = np.where(valid, 100 * low, np.nan)
    frame["ci_high"] = np.where(valid, 100 * high, np.nan)
    return frame


def choices(df: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    parts = []
    for q in instrument.questions():
        if q.type not in (*CHOICE, QuestionType.MULTI_CHOICE):
            continue
        col = df[q.key].dropna()
        values = col.explode() if q.type is QuestionType.MULTI_CHOICE else col
        counts = values.value_counts().reindex(q.choice_values, fill_value=0)
        part = pd.DataFrame({"question": q.key, "value": q.choice_values, "count": counts.values})
        part["n"] = len(col)
        parts.append(_wilson(part, "count", "n"))
    return pd.concat(parts, ignore_index=True)


def rankings(df: pd.DataFrame, instrument: Instrument) -> tuple[pd.DataFrame, pd.DataFrame]:
    ranked, positions = [], []
    for q in instrument.questions():
        if q.type is not QuestionType.RANKING:
            continue
        col = df[q.key].dropna()
        long = pd.DataFrame({"value": col.explode()})
        long["rank"] = long.groupby(level=0).cumcount() + 1
        pos = long.groupby(["value", "rank"]).size().rename("count").reset_index()
        pos["question"] = q.key
        positions.append(pos)
        per = long.groupby("value").agg(
            first_count=("rank", lambda r: int((r == 1).sum())),
            mention_count=("rank", "size"),
            mean_rank=("rank", "mean"),
        )
        per = per.reindex(q.choice_values).fillna({"first_count": 0, "mention_count": 0})
        per["n"] = len(col)
        per["question"] = q.key
        per = per.reset_index().rename(columns={"index": "value"})
        per = _wilson(per, "first_count", "n")
        ranked.append(
            per.sort_values(
                ["first_count", "mention_count", "mean_rank"],
                ascending=[False, False, True],
                kind="stable",
            )
        )
    return pd.concat(ranked, ignore_index=True), pd.concat(positions, ignore_index=True)


def likert(df: pd.DataFrame, instrument: Instrument) -> tuple[pd.DataFrame, pd.DataFrame]:
    levels_parts, summaries = [], []
    for q in instrument.questions():
        if q.type not in (QuestionType.LIKERT, QuestionType.LIKERT_MATRIX):
            continue
        if q.type is QuestionType.LIKERT_MATRIX:
            wide = pd.DataFrame(df[q.key].dropna().tolist())
        else:
            wide = pd.DataFrame({q.key: df[q.key]})
        codes = {v: i for i, v in enumerate(q.choice_values, start=1)}
        for item in wide.columns:
            answered = wide[item].dropna()
            counts = answered.value_counts().reindex(q.choice_values, fill_value=0)
            part = pd.DataFrame(
                {
                    "question": q.key,
                    "item": item,
                    "level": q.choice_values,
                    "count": counts.values,
                    "n": len(answered),
                }
            )
            levels_parts.append(_wilson(part, "count", "n"))
            coded = answered.map(codes)
            summaries.append(
                {
                    "question": q.key,
                    "item": item,
                    "n": len(answered),
                    "high_count": int((coded >= len(codes) - 1).sum()),
                    "median": float(coded.median()) if len(coded) else np.nan,
                    "mean_score": float(coded.mean()) if len(coded) else np.nan,
                }
            )
    return pd.concat(levels_parts, ignore_index=True), pd.DataFrame(summaries)


def numeric(df: pd.DataFrame, instrument: Instrument) -> tuple[pd.DataFrame, ...]:
    keys = [q.key for q in instrument.questions() if q.type.is_numeric]
    long = df.melt(id_vars="org_type", value_vars=keys, var_name="question").dropna()
    described = long.groupby("question")["value"].agg(
        n="size",
        mean="mean",
        sd="std",
        median="median",
        q1=lambda v: v.quantile(0.25),
        q3=lambda v: v.quantile(0.75),
        min="min",
        max="max",
    )
    described["iqr"] = described["q3"] - described["q1"]
    values = long.groupby(["question", "value"]).size().rename("count").reset_index()
    by_type = long.groupby(["question", "org_type"])["value"].agg(
        n="size",
        mean="mean",
        median="median",
        q1=lambda v: v.quantile(0.25),
        q3=lambda v: v.quantile(0.75),
    )
    return described.reset_index(), values, by_type.reset_index()


def _test(table: pd.DataFrame) -> dict[str, Any]:
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return {"test": "none"}
    expected = expected_freq(table.values)
    if expected.min() >= 1 and (expected < 5).sum() <= 0.2 * expected.size:
        chi2, p, dof, _ = sps.chi2_contingency(table.values, correction=False)
        return {"test": "chi_square", "statistic": chi2, "df": dof, "p_value": p}
    if table.shape == (2, 2):
        return {"test": "fisher_exact", "p_value": sps.fisher_exact(table.values)[1]}
    return {"test": "none"}


def crosstabs(df: pd.DataFrame, instrument: Instrument) -> tuple[pd.DataFrame, pd.DataFrame]:
    cells, tests = [], []
    for q in instrument.questions():
        variables: list[tuple[str | None, pd.Series]] = []
        if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MONEY_BAND):
            variables = [(None, df[q.key])]
        elif q.type is QuestionType.RANKING:
            variables = [(None, df[q.key].dropna().map(lambda v: v[0]))]
        elif q.type is QuestionType.MULTI_CHOICE:
            answered = df[q.key].dropna()
            variables = [
                (c, answered.map(lambda v, c=c: "chosen" if c in v else "not_chosen"))
                for c in q.choice_values
            ]
        elif q.type is QuestionType.LIKERT:
            top = set(q.choice_values[-2:])
            variables = [
                (
                    None,
                    df[q.key].dropna().map(lambda v, top=top: "high" if v in top else "not_high"),
                )
            ]
        elif q.type is QuestionType.LIKERT_MATRIX:
            top = set(q.choice_values[-2:])
            wide = pd.DataFrame(df[q.key].dropna().tolist(), index=df[q.key].dropna().index)
            variables = [
                (
                    i.key,
                    wide[i.key].dropna().map(lambda v, top=top: "high" if v in top else "not_high"),
                )
                for i in q.items
            ]
        for item, series in variables:
            table = pd.crosstab(df.loc[series.index, "org_type"], series.dropna())
            long = table.stack().rename("count").reset_index()
            long.columns = ["org_type", "value", "count"]
            long["row_n"] = long.groupby("org_type")["count"].transform("sum")
            long["question"], long["item"] = q.key, item
            cells.append(_wilson(long, "count", "row_n"))
            tests.append({"question": q.key, "item": item, **_test(table)})
    return pd.concat(cells, ignore_index=True), pd.DataFrame(tests)


def nonresponse(df: pd.DataFrame, asked: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    rows = []
    for q in instrument.questions():
        shown = asked[q.key]
        given = df[q.key].notna()
        rows.append(
            {"question": q.key, "asked": int(shown.sum()), "answered": int((shown & given).sum())}
        )
    frame = pd.DataFrame(rows)
    frame["missing"] = frame["asked"] - frame["answered"]
    return frame


def all_tables(df: pd.DataFrame, asked: pd.DataFrame, instrument: Instrument) -> dict[str, Any]:
    ranked, positions = rankings(df, instrument)
    levels, summary = likert(df, instrument)
    described, values, by_type = numeric(df, instrument)
    cells, tests = crosstabs(df, instrument)
    return {
        "choices": choices(df, instrument),
        "rankings": ranked,
        "rank_positions": positions,
        "likert": levels,
        "likert_summary": summary,
        "numeric": described,
        "numeric_values": values,
        "numeric_by_org_type": by_type,
        "crosstabs": cells,
        "crosstab_tests": tests,
        "nonresponse": nonresponse(df, asked, instrument),
    }
