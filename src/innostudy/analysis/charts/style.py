"""The house style: one palette (Okabe–Ito, safe for colour-blind readers), one type scale.

Every chart is a ``matplotlib.figure.Figure`` built directly, never through pyplot, so
nothing is shared between charts or threads and no global rcParams are touched.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

# Okabe & Ito (2008), "Color Universal Design".
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE)

INK = "#1f1f1f"
MUTED = "#5c5c5c"
RULE = "#d0d0d0"
NEUTRAL = "#bdbdbd"
ACCENT = BLUE
SMALL_FILL = "#9cc3de"  # the accent, lightened: a bar resting on fewer than 5 answers

TITLE_SIZE = 13
TEXT_SIZE = 10
SMALL_SIZE = 8.5
WIDTH = 8.0
PNG_DPI = 200
LABEL_WIDTH = 34  # characters per line of a category label


@dataclass(frozen=True)
class Frame:
    """What every chart says around its plot: title, subtitle and the source line."""

    title: str
    subtitle: str
    footer: str
    titled: bool = True  # False on slides: the slide carries the title and the source
    width: float = 8.0


def blend(colour: str, towards: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way to ``towards``."""
    (r1, g1, b1), (r2, g2, b2) = to_rgb(colour), to_rgb(towards)
    return to_hex((r1 + (r2 - r1) * amount, g1 + (g2 - g1) * amount, b1 + (b2 - b1) * amount))


def sequential(n: int) -> list[str]:
    """``n`` blues from dark to pale (rank 1 darkest), evenly spaced along blue → sky → pale."""
    if n <= 1:
        return [BLUE]
    stops = (BLUE, SKY_BLUE, blend(SKY_BLUE, "#ffffff", 0.75))
    shades = []
    for i in range(n):
        t = 2 * i / (n - 1)
        j = min(int(t), 1)
        shades.append(blend(stops[j], stops[j + 1], t - j))
    return shades


def diverging(k: int) -> list[str]:
    """Colours for a k-level scale: vermillion/orange below the middle, blues above, grey middle."""
    half = k // 2
    low = [blend(VERMILLION, ORANGE, i / max(1, half - 1)) for i in range(half)]
    low = [blend(c, "#ffffff", 0.25 * i / max(1, half - 1)) for i, c in enumerate(low)]
    high = [blend(SKY_BLUE, BLUE, i / max(1, half - 1)) for i in range(half)]
    return [*low, *([NEUTRAL] if k % 2 else []), *high]


def wrap(label: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def new_figure(height: float, width: float = WIDTH) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _lines(text: str, points: float, width_in: float) -> list[str]:
    """Wrap text to the figure's width (DejaVu Sans averages ~0.55 em per character)."""
    per_line = max(20, int(width_in * 72 / (points * 0.55)))
    return [line for para in text.splitlines() for line in (textwrap.wrap(para, per_line) or [""])]


def decorate(fig: Figure, frame: Frame, ax: Axes | None = None) -> None:
    """Title and subtitle above the plot, the source line below it, all flush left.

    The texts are placed in inches from the figure's edges and the constrained layout is
    confined to the band between them, so long labels never collide with the words.
    """
    del ax  # the words belong to the figure, whatever its axes
    width, height = fig.get_size_inches()
    margin = 0.08
    top = margin
    blocks = []
    if frame.titled and frame.title:
        blocks.append((_lines(frame.title, TITLE_SIZE, width - 0.2), TITLE_SIZE, INK, "bold"))
    if frame.subtitle:
        blocks.append((_lines(frame.subtitle, TEXT_SIZE, width - 0.2), TEXT_SIZE, MUTED, "normal"))
    for lines, size, colour, weight in blocks:
        fig.text(
            0.1 / width,
            1 - top / height,
            "\n".join(lines),
            ha="left",
            va="top",
            fontsize=size,
            color=colour,
            weight=weight,
            linespacing=1.25,
        )
        top += len(lines) * size * 1.25 * 1.17 / 72 + 0.06  # line = 1.17 em × spacing
    footer = _lines(frame.footer, SMALL_SIZE, width - 0.2) if frame.footer and frame.titled else []
    bottom = margin + len(footer) * SMALL_SIZE * 1.25 * 1.17 / 72 + (0.06 if footer else 0)
    if footer:
        fig.text(
            0.1 / width,
            margin / height,
            "\n".join(footer),
            ha="left",
            va="bottom",
            fontsize=SMALL_SIZE,
            color=MUTED,
            linespacing=1.25,
        )
    engine = fig.get_layout_engine()
    assert isinstance(engine, ConstrainedLayoutEngine)
    # rect is (left, bottom, width, height) in figure fractions
    engine.set(rect=(0.0, bottom / height, 1.0, 1 - (bottom + top + 0.04) / height))


def tidy_axes(ax: Axes, *, grid_axis: Literal["x", "y"] = "x") -> None:
    """Light rules on one axis only, no box, muted ticks."""
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(RULE)
    ax.tick_params(colors=MUTED, labelsize=SMALL_SIZE, length=0)
    ax.tick_params(axis="y", labelsize=TEXT_SIZE, labelcolor=INK)
    ax.grid(axis=grid_axis, color=RULE, linewidth=0.6)
    ax.set_axisbelow(True)


def percent_axis(ax: Axes, upper: float) -> None:
    ax.set_xlim(0, upper)
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0f}%")


def to_bytes(fig: Figure, fmt: str) -> bytes:
    """PNG (200 dpi) or SVG (text as paths, so it needs no fonts) without timestamps."""
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    elif fmt == "svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        return _stable_svg_ids(buffer.getvalue())
    else:
        raise ValueError(f"unknown chart format {fmt!r}")
    return buffer.getvalue()


_CLIP_ID = re.compile(rb'id="([a-z][0-9a-f]{10})"')


def _stable_svg_ids(svg: bytes) -> bytes:
    """Number clip-path, marker and hatch ids in order, so the same chart gives the same bytes.

    matplotlib salts them randomly unless the global ``svg.hashsalt`` is set; renaming
    here keeps charts reproducible (the report's HTML must be) without global state.
    """
    for number, old in enumerate(dict.fromkeys(_CLIP_ID.findall(svg))):
        svg = svg.replace(old, b"%sid%d" % (old[:1], number))
    return svg


def bar_height(n_bars: int, per_bar: float = 0.34, extra: float = 1.6) -> float:
    return max(2.6, extra + per_bar * n_bars)


def labels_for(values: Sequence[str]) -> list[str]:
    return [wrap(v) for v in values]
