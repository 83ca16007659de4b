"""The words on each area slide: a headline figure, a caption and a few supporting facts.

One function per kind of figure. They read only named statistics and the analysis
tables, and every number they write is a StatRef, so it can be traced and re-checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from innostudy.analysis import formatting
from innostudy.analysis.figures import BARS, DISTRIBUTION, DIVERGING, DURATIONS, RANKING, FigureSpec
from innostudy.analysis.statistics import SMALL_CELL
from innostudy.analysis.summary import Summary
from innostudy.briefing.content import (
    Fact,
    StatRef,
    ci_ref,
    count_ref,
    fact,
    months_ref,
    number_ref,
    pct_ref,
)

NO_ANSWERS = fact("No answers yet.")


@dataclass(frozen=True)
class Headline:
    title: str
    big: StatRef | None
    caption: Fact
    facts: tuple[Fact, ...]
    caveats: tuple[str, ...]


def _s(summary: Summary, name: str) -> object:
    return summary.stats[name]


def _f(summary: Summary, name: str) -> float | None:
    value = summary.stats[name]
    return None if value is None else float(value)


def _pct(summary: Summary, name: str) -> StatRef:
    return pct_ref(name, _f(summary, name))


def _ci(summary: Summary, prefix: str, low: str = "ci_low", high: str = "ci_high") -> StatRef:
    lo, hi = f"{prefix}.{low}", f"{prefix}.{high}"
    return ci_ref(lo, hi, _f(summary, lo), _f(summary, hi))


def _n(summary: Summary, name: str) -> StatRef:
    value = summary.stats[name]
    return count_ref(name, None if value is None else int(value))


def by_type_caveat(summary: Summary, prefix: str) -> str:
    """The cross-tab test for one variable, in a sentence."""
    test = _s(summary, f"{prefix}.by_org_type.test")
    p_raw = _f(summary, f"{prefix}.by_org_type.p_value")
    if test in formatting.TEST_NAMES:
        holm = _f(summary, f"{prefix}.by_org_type.p_holm")
        return f"By organisation type: {formatting.test_result(str(test), p_raw, holm)}."
    note = str(_s(summary, f"{prefix}.by_org_type.note") or "no test")
    return f"By organisation type: {note}."


def _small_caveat(rows: pl.DataFrame, count: str = "count") -> list[str]:
    small = rows.filter((pl.col(count) > 0) & (pl.col(count) < SMALL_CELL)).height
    if not small:
        return []
    return [
        f"{small} of the figures behind this chart rest on fewer than {SMALL_CELL} "
        "organisations (hatched or †)."
    ]


def bars(summary: Summary, spec: FigureSpec) -> Headline:
    q = spec.questions[0]
    rows = summary.tables["choices"].filter(pl.col("question") == q)
    top = _s(summary, f"{q}.top")
    if not _s(summary, f"{q}.n") or top is None:
        return Headline(summary.question_label(q), None, NO_ANSWERS, (), ())
    multi = rows["type"][0] == "multi_choice"
    label = str(_s(summary, f"{q}.top_label"))
    tied = " (tied)" if _s(summary, f"{q}.top_tied") else ""
    title = f"{label}{tied}: {'chosen most often' if multi else 'the most common answer'}"
    caption = fact(
        "chose “",
        label,
        "” (95% interval ",
        _ci(summary, f"{q}.{top}"),
        "; n = ",
        _n(summary, f"{q}.n"),
        ")",
    )
    ordered = rows.sort(["count", "position"], descending=[True, False])
    others = [r for r in ordered.iter_rows(named=True) if r["value"] != top]
    facts = [_choice_fact(summary, q, r) for r in others[:2]]
    if multi and len(others) > 2:
        facts.append(fact("Least chosen: ", *_choice_fact(summary, q, others[-1]).parts))
    caveats = [*_small_caveat(rows)]
    if not multi:
        caveats.append(by_type_caveat(summary, q))
    return Headline(title, _pct(summary, f"{q}.{top}.pct"), caption, tuple(facts), tuple(caveats))


def _choice_fact(summary: Summary, q: str, row: dict[str, object]) -> Fact:
    prefix = f"{q}.{row['value']}"
    return fact(
        f"{row['label']}: ", _pct(summary, f"{prefix}.pct"), " (", _ci(summary, prefix), ")"
    )


def ranking(summary: Summary, spec: FigureSpec) -> Headline:
    q = spec.questions[0]
    top = _s(summary, f"{q}.top")
    if not _s(summary, f"{q}.n") or top is None:
        return Headline(summary.question_label(q), None, NO_ANSWERS, (), ())
    label = str(_s(summary, f"{q}.top_label"))
    prefix = f"{q}.{top}"
    caption = fact(
        "ranked “",
        label,
        "” first (95% interval ",
        _ci(summary, prefix, "first_ci_low", "first_ci_high"),
        "; n = ",
        _n(summary, f"{q}.n"),
        ")",
    )
    facts = [fact(_pct(summary, f"{prefix}.mention_share"), " ranked it somewhere in their list")]
    rows = summary.tables["rankings"].filter(pl.col("question") == q).sort("position")
    for row in list(rows.iter_rows(named=True))[1:3]:
        other = f"{q}.{row['value']}"
        facts.append(
            fact(
                f"{row['label']}: ",
                _pct(summary, f"{other}.first_share"),
                " first, ",
                _pct(summary, f"{other}.mention_share"),
                " at all",
            )
        )
    caveats = [*_small_caveat(rows, "first_count"), by_type_caveat(summary, q)]
    title = f"{label}{' (tied)' if _s(summary, f'{q}.top_tied') else ''}: most often ranked first"
    return Headline(
        title, _pct(summary, f"{prefix}.first_share"), caption, tuple(facts), tuple(caveats)
    )


def diverging(summary: Summary, spec: FigureSpec) -> Headline:
    q = spec.questions[0]
    top = _s(summary, f"{q}.top_item")
    if top is None:
        return Headline(summary.question_label(q), None, NO_ANSWERS, (), ())
    rows = summary.tables["likert_summary"].filter(pl.col("question") == q)
    levels = str(rows["high_levels"][0]).lower()
    label = str(_s(summary, f"{q}.top_item_label"))
    prefix = f"{q}.{top}"
    caption = fact(
        f"answered {levels} for “{label}” (95% interval ",
        _ci(summary, prefix, "high_ci_low", "high_ci_high"),
        "; n = ",
        _n(summary, f"{prefix}.n"),
        ")",
    )
    ordered = rows.sort("high_share", descending=True, nulls_last=True)
    facts = []
    for row in list(ordered.iter_rows(named=True))[1:3]:
        facts.append(fact(f"{row['item_label']}: ", _pct(summary, f"{q}.{row['item']}.high_share")))
    bottom = _s(summary, f"{q}.bottom_item")
    if bottom is not None and bottom != top:
        facts.append(
            fact(
                f"Lowest: {_s(summary, f'{q}.bottom_item_label')} at ",
                _pct(summary, f"{q}.{bottom}.high_share"),
            )
        )
    caveats = [by_type_caveat(summary, prefix)]
    return Headline(
        f"{label}: rated highest",
        _pct(summary, f"{prefix}.high_share"),
        caption,
        tuple(facts),
        tuple(caveats),
    )


def short_label(label: str) -> str:
    """ "In total, how many months from idea to roll-out?" → "From idea to roll-out"."""
    text = re.sub(r"^(in total,\s*)?how many months\s*", "", label, flags=re.IGNORECASE)
    text = text.rstrip("?").strip()
    return text[:1].upper() + text[1:] if text else label


def _spread(summary: Summary, q: str) -> Fact:
    return fact(
        "IQR ",
        number_ref(f"{q}.q1", _f(summary, f"{q}.q1")),
        "–",
        number_ref(f"{q}.q3", _f(summary, f"{q}.q3")),
        "; n = ",
        _n(summary, f"{q}.n"),
    )


def durations(summary: Summary, spec: FigureSpec) -> Headline:
    *stages, total = spec.questions
    if not _s(summary, f"{total}.n"):
        return Headline(spec.title, None, NO_ANSWERS, (), ())
    label = short_label(summary.question_label(total))
    caption = fact(f"median, {label.lower()} (", *_spread(summary, total).parts, ")")
    facts = [
        fact(
            f"{short_label(summary.question_label(k))}: median ",
            months_ref(f"{k}.median", _f(summary, f"{k}.median")),
        )
        for k in stages
    ]
    big = months_ref(f"{total}.median", _f(summary, f"{total}.median"))
    return Headline(f"Median {label.lower()}: {big.text}", big, caption, tuple(facts), ())


def distribution(summary: Summary, spec: FigureSpec) -> Headline:
    q = spec.questions[0]
    if not _s(summary, f"{q}.n"):
        return Headline(summary.question_label(q), None, NO_ANSWERS, (), ())
    big = number_ref(f"{q}.median", _f(summary, f"{q}.median"))
    caption = fact("median (", *_spread(summary, q).parts, ")")
    facts = (
        fact("Mean ", number_ref(f"{q}.mean", _f(summary, f"{q}.mean"))),
        fact(
            "Range ",
            number_ref(f"{q}.min", _f(summary, f"{q}.min")),
            "–",
            number_ref(f"{q}.max", _f(summary, f"{q}.max")),
        ),
    )
    return Headline(summary.question_label(q), big, caption, facts, ())


BUILDERS: dict[str, Callable[[Summary, FigureSpec], Headline]] = {
    BARS: bars,
    RANKING: ranking,
    DIVERGING: diverging,
    DURATIONS: durations,
    DISTRIBUTION: distribution,
}
