"""The reliability diagram of suggestions, drawn in the house style (``analysis.charts.style``)."""

from __future__ import annotations

from collections.abc import Sequence

from innostudy.analysis.charts import style
from innostudy.coding.auto.calibration import Bin


def reliability_chart(
    bins: Sequence[Bin], *, title: str, subtitle: str, footer: str, fmt: str = "png"
) -> bytes:
    """Accepted share per confidence bin (bars, with the number of reviews at their foot),
    the bin's mean confidence (dots: where the bar would end if confidence were exact),
    and the diagonal of perfect calibration."""
    fig = style.new_figure(4.2, 6.4)
    ax = fig.subplots()
    width = (bins[0].high - bins[0].low) if bins else 0.1
    filled = [b for b in bins if b.count]
    ax.plot([0, 1], [0, 1], linestyle="--", color=style.NEUTRAL, linewidth=1.2, zorder=1)
    ax.bar(
        [b.low + width / 2 for b in filled],
        [b.accepted or 0.0 for b in filled],
        width=width * 0.86,
        color=style.ACCENT,
        zorder=2,
    )
    # Where each bar would end if confidence were exact: its mean confidence.
    ax.scatter(
        [b.low + width / 2 for b in filled],
        [b.confidence or 0.0 for b in filled],
        s=22,
        color=style.ORANGE,
        zorder=3,
    )
    for b in filled:
        short = (b.accepted or 0.0) < 0.08  # no room inside the bar: write above it
        ax.text(
            b.low + width / 2,
            (b.accepted or 0.0) + 0.01 if short else 0.02,
            f"{b.count}",
            ha="center",
            va="bottom",
            fontsize=style.SMALL_SIZE,
            color=style.MUTED if short else "white",
            zorder=4,
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("Confidence the model gave", fontsize=style.TEXT_SIZE, color=style.INK)
    ax.set_ylabel("Share accepted", fontsize=style.TEXT_SIZE, color=style.INK)
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
    ax.yaxis.set_major_formatter(lambda y, _pos: f"{y:.0%}")
    style.tidy_axes(ax, grid_axis="y")
    ax.tick_params(axis="y", labelsize=style.SMALL_SIZE, labelcolor=style.MUTED)
    style.decorate(fig, style.Frame(title, subtitle, footer))
    return style.to_bytes(fig, fmt)
