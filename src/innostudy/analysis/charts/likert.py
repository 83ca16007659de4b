"""Diverging stacked bars for Likert items, centred on the middle of the scale.

Levels below the middle extend left of zero, levels above it right, and a middle level
straddles zero, so items can be compared by how far they reach right. Items are sorted by
the share in the top levels, which is written at the right end of each bar.
"""

from __future__ import annotations

import math

import polars as pl
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from innostudy.analysis.charts import style
from innostudy.analysis.charts.bars import no_answers
from innostudy.analysis.statistics import high_levels


def diverging_chart(levels: pl.DataFrame, summary: pl.DataFrame, frame: style.Frame) -> Figure:
    items = summary.sort(["high_share", "position"], descending=[True, False], nulls_last=True)
    fig = style.new_figure(style.bar_height(items.height, extra=2.2), frame.width)
    ax = fig.add_subplot()
    if items.height == 0 or not items.select(pl.col("n").max()).item():
        no_answers(ax)
        style.decorate(fig, frame, ax)
        return fig
    scale = levels.filter(pl.col("item") == items["item"][0]).sort("level_code")
    colours = style.diverging(scale.height)
    ys = list(range(items.height))[::-1]
    reach_left, reach_right = 0.0, 0.0
    for y, item in zip(ys, items.iter_rows(named=True), strict=True):
        rows = levels.filter(pl.col("item") == item["item"]).sort("level_code")
        if item["n"] == 0:
            ax.text(
                0,
                y,
                "no answers",
                ha="center",
                va="center",
                fontsize=style.SMALL_SIZE,
                color=style.MUTED,
            )
            continue
        for row, colour in zip(rows.iter_rows(named=True), colours, strict=True):
            ax.barh(
                y, row["pct"], left=row["diverging_start"], height=0.66, color=colour, linewidth=0
            )
        left = float(rows["diverging_start"][0])
        right = left + float(rows["pct"].sum())
        reach_left, reach_right = max(reach_left, -left), max(reach_right, right)
        ax.text(
            right + 1.5,
            y,
            f"{item['high_share']:.0f}%",
            va="center",
            fontsize=style.SMALL_SIZE,
            color=style.INK,
            weight="bold",
        )
        ax.text(
            left - 1.5,
            y,
            f"{item['low_share']:.0f}%",
            va="center",
            ha="right",
            fontsize=style.SMALL_SIZE,
            color=style.MUTED,
        )
    ax.set_xlim(
        -min(100.0, math.ceil((reach_left + 10) / 10) * 10),
        min(100.0, math.ceil((reach_right + 10) / 10) * 10),
    )
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{abs(x):.0f}%")
    ax.axvline(0, color=style.INK, linewidth=0.8)
    ax.set_yticks(ys, style.labels_for(items["item_label"].to_list()))
    ax.set_ylim(-0.6, items.height - 0.4)
    style.tidy_axes(ax)
    handles = [
        Patch(color=c, label=lbl) for c, lbl in zip(colours, scale["level_label"], strict=True)
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncols=len(handles),
        fontsize=style.SMALL_SIZE,
        frameon=False,
    )
    top = str(items["high_levels"][0])
    low = " or ".join(scale["level_label"].to_list()[: high_levels(scale.height)])
    note = f"Right: share {top} (bold). Left: share {low}."
    style.decorate(
        fig, style.Frame(frame.title, f"{frame.subtitle} · {note}", frame.footer, frame.titled), ax
    )
    return fig
