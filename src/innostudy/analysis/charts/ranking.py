"""The ranking chart: one stacked bar per item, darkest for "ranked first".

Items are in the ranked list's order. Each bar's segments are the shares of
organisations that put the item at rank 1, 2, …, so the whole bar is the share that
ranked it at all; the whisker on the darkest segment is the 95% interval of the share
ranking it first, the figure the briefing quotes.
"""

from __future__ import annotations

import polars as pl
from matplotlib.figure import Figure

from innostudy.analysis.charts import style
from innostudy.analysis.charts.bars import Bar, no_answers, upper_limit
from innostudy.analysis.statistics import SMALL_CELL


def _ordinal(rank: int) -> str:
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def ranking_chart(ranked: pl.DataFrame, positions: pl.DataFrame, frame: style.Frame) -> Figure:
    items = ranked.sort("position")
    deepest = int(positions["rank"].max() or 1) if positions.height else 1  # type: ignore[arg-type]
    colours = style.sequential(deepest)
    fig = style.new_figure(style.bar_height(items.height, extra=2.0), frame.width)
    ax = fig.add_subplot()
    n = int(items["n"][0]) if items.height else 0
    if n == 0:
        no_answers(ax)
        style.decorate(fig, frame, ax)
        return fig
    ys = list(range(items.height))[::-1]
    whole = [
        Bar("", r["mention_share"], None, r["mention_share"], r["mention_count"], False)
        for r in items.iter_rows(named=True)
    ]
    upper = upper_limit(whole)
    for y, row in zip(ys, items.iter_rows(named=True), strict=True):
        mine = positions.filter(pl.col("value") == row["value"]).sort("rank")
        left = 0.0
        for rank, pct in zip(mine["rank"], mine["pct"], strict=True):
            label = _ordinal(int(rank)) if y == ys[0] else None
            ax.barh(
                y,
                pct,
                left=left,
                height=0.66,
                color=colours[int(rank) - 1],
                label=label,
                linewidth=0,
            )
            left += pct
        share = row["first_share"]
        ax.errorbar(
            share,
            y,
            xerr=[[share - row["first_ci_low"]], [row["first_ci_high"] - share]],
            fmt="none",
            ecolor=style.INK,
            elinewidth=0.9,
            capsize=2.5,
        )
        small = "†" if row["first_count"] < SMALL_CELL else ""
        ax.text(
            max(left, row["first_ci_high"]) + upper * 0.012,
            y,
            f"{share:.0f}% first{small} · {row['mention_share']:.0f}% at all",
            va="center",
            fontsize=style.SMALL_SIZE,
            color=style.INK,
        )
    ax.set_yticks(ys, style.labels_for(items["label"].to_list()))
    ax.set_ylim(-0.6, items.height - 0.4)
    style.percent_axis(ax, min(100.0, upper + 25))
    style.tidy_axes(ax)
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        fontsize=style.SMALL_SIZE,
        frameon=False,
        ncols=min(deepest, 8),
        borderaxespad=0.2,
        title="Ranked",
        title_fontsize=style.SMALL_SIZE,
        alignment="left",
    )
    note = "Whisker: 95% Wilson interval of the share ranking the item first."
    if (items["first_count"] < SMALL_CELL).any():
        note += f" † fewer than {SMALL_CELL} ranked it first."
    style.decorate(
        fig, style.Frame(frame.title, f"{frame.subtitle} · {note}", frame.footer, frame.titled), ax
    )
    return fig
