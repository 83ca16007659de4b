"""Horizontal bars with 95% Wilson intervals: choice questions, and the same by organisation type.

A bar resting on fewer than five answers is drawn light and hatched, so a reader sees at
a glance which shares are fragile. Nominal answers are sorted by size (catch-alls such as
"other" and "don't know" last); ordered scales keep their order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from innostudy.analysis.charts import style
from innostudy.analysis.statistics import SMALL_CELL

CATCH_ALL = ("other", "dont_know", "none", "not_applicable")
ORDERED_TYPES = ("money_band", "likert")


@dataclass(frozen=True)
class Bar:
    label: str
    pct: float | None
    low: float | None
    high: float | None
    count: int
    small: bool


def bars_from(rows: pl.DataFrame, label: str = "label", pct: str = "pct") -> list[Bar]:
    return [
        Bar(r[label], r[pct], r["ci_low"], r["ci_high"], int(r["count"]), bool(r["small"]))
        for r in rows.iter_rows(named=True)
    ]


def display_order(rows: pl.DataFrame, qtype: str) -> pl.DataFrame:
    """Rows of one question in the order a reader wants them (top of the chart first)."""
    if qtype in ORDERED_TYPES:
        return rows.sort("position")
    return (
        rows.with_columns(pl.col("value").is_in(CATCH_ALL).alias("_last"))
        .sort(["_last", "count", "position"], descending=[False, True, False])
        .drop("_last")
    )


def upper_limit(bars: list[Bar]) -> float:
    top = max((b.high or 0.0) for b in bars) if bars else 0.0
    return float(min(100, max(10, math.ceil((top + 9) / 10) * 10)))


def draw_bars(ax: Axes, bars: list[Bar], upper: float, *, labels: bool = True) -> None:
    """The bars top-down, interval whiskers, and the share written past each whisker."""
    ys = list(range(len(bars)))[::-1]
    for y, bar in zip(ys, bars, strict=True):
        if bar.pct is None:
            continue
        fill = style.SMALL_FILL if bar.small else style.ACCENT
        ax.barh(
            y,
            bar.pct,
            height=0.66,
            color=fill,
            edgecolor=style.ACCENT,
            hatch="////" if bar.small else None,
            linewidth=0,
        )
        if bar.low is not None and bar.high is not None:
            ax.errorbar(
                bar.pct,
                y,
                xerr=[[bar.pct - bar.low], [bar.high - bar.pct]],
                fmt="none",
                ecolor=style.INK,
                elinewidth=0.9,
                capsize=2.5,
            )
        ax.text(
            (bar.high or bar.pct) + upper * 0.012,
            y,
            f"{bar.pct:.0f}%",
            va="center",
            fontsize=style.SMALL_SIZE,
            color=style.INK,
        )
    ax.set_yticks(ys, style.labels_for([b.label for b in bars]) if labels else [""] * len(bars))
    ax.set_ylim(-0.6, len(bars) - 0.4)
    style.percent_axis(ax, upper)
    style.tidy_axes(ax)


def no_answers(ax: Axes) -> None:
    ax.text(
        0.5,
        0.5,
        "No answers yet",
        ha="center",
        va="center",
        color=style.MUTED,
        fontsize=style.TEXT_SIZE,
        transform=ax.transAxes,
    )
    ax.set_axis_off()


def interval_note(bars: list[Bar]) -> str:
    note = "Lines: 95% Wilson intervals."
    if any(b.small for b in bars):
        note += f" Hatched: fewer than {SMALL_CELL} organisations."
    return note


def bars_chart(rows: pl.DataFrame, qtype: str, frame: style.Frame) -> Figure:
    ordered = display_order(rows, qtype)
    bars = bars_from(ordered)
    fig = style.new_figure(style.bar_height(len(bars)), frame.width)
    ax = fig.add_subplot()
    n = int(rows["n"][0]) if rows.height else 0
    if n == 0:
        no_answers(ax)
    else:
        draw_bars(ax, bars, upper_limit(bars))
    subtitle = f"{frame.subtitle} · {interval_note(bars)}" if n else frame.subtitle
    style.decorate(fig, style.Frame(frame.title, subtitle, frame.footer, frame.titled), ax)
    return fig


def panels_chart(
    panels: list[tuple[str, list[Bar]]], frame: style.Frame, *, columns: int = 2
) -> Figure:
    """Small multiples: one panel of bars per group, same order and scale in every panel."""
    count = max(1, len(panels))
    cols = min(columns, count)
    rows = math.ceil(count / cols)
    n_bars = max((len(b) for _, b in panels), default=1)
    fig = style.new_figure(rows * (0.9 + 0.27 * n_bars) + 1.0, frame.width)
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True)
    everything = [b for _, bars in panels for b in bars]
    upper = upper_limit(everything)
    for index, ax in enumerate(axes.flat):
        if index >= len(panels):
            ax.set_axis_off()
            continue
        title, bars = panels[index]
        draw_bars(ax, bars, upper, labels=index % cols == 0)
        ax.set_title(title, loc="left", fontsize=style.TEXT_SIZE, color=style.INK)
    if not panels:
        no_answers(axes.flat[0])
    note = interval_note(everything)
    style.decorate(
        fig, style.Frame(frame.title, f"{frame.subtitle} · {note}", frame.footer, frame.titled)
    )
    return fig
