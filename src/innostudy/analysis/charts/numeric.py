"""Numbers and months: box-and-strip plots of stage durations, one distribution, and by type.

Boxes are drawn from the tables' quartiles (the same numbers the slides quote) with
Tukey whiskers (the furthest answers within 1.5 IQR of the box); every answer is also a
dot, jittered up and down by a fixed seed so the chart is the same each time it is drawn.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from innostudy.analysis import formatting
from innostudy.analysis.charts import style
from innostudy.analysis.charts.bars import no_answers

MAX_DOTS = 400  # per row; beyond this a fixed-seed sample is drawn and the footer says so
MAX_BARS = 40  # distinct whole-number values shown one bar each; more are binned


def expand(values: pl.DataFrame) -> np.ndarray:
    """Every answer, from the (value, count) distribution table."""
    return np.repeat(values["value"].to_numpy(), values["count"].to_numpy())


def tukey_whiskers(sorted_values: np.ndarray, q1: float, q3: float) -> tuple[float, float]:
    reach = 1.5 * (q3 - q1)
    inside = sorted_values[(sorted_values >= q1 - reach) & (sorted_values <= q3 + reach)]
    return float(inside.min()), float(inside.max())


def _dots(ax: Axes, values: np.ndarray, y: float, seed: int) -> bool:
    rng = np.random.default_rng(seed)
    sampled = len(values) > MAX_DOTS
    shown = rng.choice(values, MAX_DOTS, replace=False) if sampled else values
    jitter = rng.uniform(-0.2, 0.2, len(shown))
    ax.scatter(shown, y + jitter, s=9, color=style.ORANGE, alpha=0.55, linewidths=0, zorder=3)
    return sampled


def _box(ax: Axes, values: np.ndarray, summary: dict[str, float], y: float) -> None:
    low, high = tukey_whiskers(np.sort(values), summary["q1"], summary["q3"])
    stats = {
        "med": summary["median"],
        "q1": summary["q1"],
        "q3": summary["q3"],
        "whislo": low,
        "whishi": high,
        "fliers": [],
    }
    line = {"color": style.INK, "linewidth": 1.0}
    ax.bxp(
        [stats],
        positions=[y],
        widths=0.55,
        orientation="horizontal",
        manage_ticks=False,
        patch_artist=True,
        boxprops={
            "facecolor": style.SKY_BLUE,
            "edgecolor": style.INK,
            "linewidth": 1.0,
            "alpha": 0.6,
        },
        medianprops={"color": style.INK, "linewidth": 2.0},
        whiskerprops=line,
        capprops=line,
    )


def durations_chart(
    summary: pl.DataFrame, values: pl.DataFrame, labels: dict[str, str], frame: style.Frame
) -> Figure:
    keys = summary["question"].to_list()
    fig = style.new_figure(max(3.0, 1.6 + 0.8 * len(keys)), frame.width)
    ax = fig.add_subplot()
    ys = list(range(len(keys)))[::-1]
    sampled, top = False, 0.0
    for index, (y, row) in enumerate(zip(ys, summary.iter_rows(named=True), strict=True)):
        answers = expand(values.filter(pl.col("question") == row["question"]))
        if row["n"] == 0:
            ax.text(
                0, y, "  no answers yet", va="center", fontsize=style.SMALL_SIZE, color=style.MUTED
            )
            continue
        _box(ax, answers, row, y)
        sampled = _dots(ax, answers, y, seed=index) or sampled
        top = max(top, float(row["max"]))
    for y, row in zip(ys, summary.iter_rows(named=True), strict=True):
        if row["n"]:
            text = (
                f"median {formatting.number(row['median'])} · IQR {formatting.number(row['q1'])}"
                f"–{formatting.number(row['q3'])} · n = {row['n']}"
            )
            ax.text(
                1.0,
                y + 0.36,
                text,
                va="center",
                ha="right",
                fontsize=style.SMALL_SIZE,
                color=style.INK,
                transform=ax.get_yaxis_transform(),
            )
    ax.set_xlim(0, max(1.0, top) * 1.05 + 1)
    ax.set_yticks(ys, style.labels_for([labels.get(k, k) for k in keys]))
    ax.set_ylim(-0.6, len(keys) - 0.4)
    ax.set_xlabel("months", fontsize=style.SMALL_SIZE, color=style.MUTED, loc="left")
    style.tidy_axes(ax)
    note = "Box: middle half of answers, line at the median; whiskers: 1.5 IQR; dots: answers."
    if sampled:
        note += f" Dots: a fixed sample of {MAX_DOTS} per row."
    style.decorate(
        fig, style.Frame(frame.title, f"{frame.subtitle} · {note}", frame.footer, frame.titled), ax
    )
    return fig


def _histogram(values: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, float]:
    """Bar positions, heights and width: one bar per whole number, or 25 equal bins."""
    xs, counts = values["value"].to_numpy(), values["count"].to_numpy()
    whole = bool(np.all(np.mod(xs, 1) == 0))
    if whole and xs.max() - xs.min() < MAX_BARS:
        return xs, counts, 0.8
    edges = np.linspace(xs.min(), xs.max(), 26)
    heights, _ = np.histogram(xs, bins=edges, weights=counts)
    return (edges[:-1] + edges[1:]) / 2, heights, float(edges[1] - edges[0]) * 0.9


def distribution_chart(
    row: dict[str, float], values: pl.DataFrame, unit: str, frame: style.Frame
) -> Figure:
    fig = style.new_figure(3.6, frame.width)
    ax = fig.add_subplot()
    if not row["n"]:
        no_answers(ax)
        style.decorate(fig, frame, ax)
        return fig
    ax.axvspan(
        row["q1"],
        row["q3"],
        color=style.SKY_BLUE,
        alpha=0.25,
        linewidth=0,
        label="middle half (IQR)",
    )
    xs, heights, width = _histogram(values)
    ax.bar(xs, heights, width=width, color=style.ACCENT, linewidth=0)
    ax.axvline(row["median"], color=style.VERMILLION, linewidth=1.6, label="median")
    ax.set_xlabel(unit, fontsize=style.SMALL_SIZE, color=style.MUTED, loc="left")
    ax.set_ylabel("organisations", fontsize=style.SMALL_SIZE, color=style.MUTED)
    style.tidy_axes(ax, grid_axis="y")
    ax.tick_params(axis="y", labelsize=style.SMALL_SIZE, labelcolor=style.MUTED)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=style.SMALL_SIZE, frameon=False, loc="upper right")
    note = (
        f"median {formatting.number(row['median'])}, IQR {formatting.number(row['q1'])}–"
        f"{formatting.number(row['q3'])}, range {formatting.number(row['min'])}–"
        f"{formatting.number(row['max'])}"
    )
    style.decorate(
        fig, style.Frame(frame.title, f"{frame.subtitle} · {note}", frame.footer, frame.titled), ax
    )
    return fig


def by_type_chart(rows: pl.DataFrame, unit: str, frame: style.Frame) -> Figure:
    """Per organisation type: range as a thin line, IQR as a thick bar, median as a dot."""
    fig = style.new_figure(style.bar_height(rows.height, per_bar=0.5), frame.width)
    ax = fig.add_subplot()
    if rows.height == 0:
        no_answers(ax)
        style.decorate(fig, frame, ax)
        return fig
    ys = list(range(rows.height))[::-1]
    for y, r in zip(ys, rows.iter_rows(named=True), strict=True):
        ax.hlines(y, r["min"], r["max"], color=style.RULE, linewidth=1.5)
        ax.hlines(y, r["q1"], r["q3"], color=style.SKY_BLUE, linewidth=9)
        ax.plot([r["median"]], [y], "o", color=style.VERMILLION, markersize=6)
        ax.text(
            r["max"],
            y,
            f"  median {formatting.number(r['median'])} (n = {r['n']})",
            va="center",
            fontsize=style.SMALL_SIZE,
            color=style.INK,
        )
    top = float(rows["max"].max() or 1)  # type: ignore[arg-type]
    ax.set_xlim(0, math.ceil(top * 1.4) + 1)
    ax.set_yticks(ys, style.labels_for(rows["org_type_label"].to_list()))
    ax.set_ylim(-0.6, rows.height - 0.4)
    ax.set_xlabel(unit, fontsize=style.SMALL_SIZE, color=style.MUTED, loc="left")
    style.tidy_axes(ax)
    note = "Dot: median; thick bar: middle half (IQR); thin line: range."
    style.decorate(
        fig, style.Frame(frame.title, f"{frame.subtitle} · {note}", frame.footer, frame.titled), ax
    )
    return fig
