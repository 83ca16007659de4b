"""Server-rendered SVG charts: pure functions from numbers to markup, no JavaScript.

Colours are SVG presentation attributes (not style attributes), so the strict
Content-Security-Policy holds. Each chart has a title and description for screen
readers, and every page that shows one also shows the numbers as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

# Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
SERIES_COLOURS = ("#009E73", "#E69F00", "#BBBBBB", "#0072B2", "#D55E00", "#CC79A7")


@dataclass(frozen=True)
class Bar:
    label: str
    values: Sequence[int]


def _text(x: float, y: float, label: str, *, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="#1b1b1b">{escape(label)}</text>'
    )


def _frame(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def stacked_bars(
    bars: Sequence[Bar], series: Sequence[str], *, title: str, ident: str = "bars", width: int = 640
) -> Markup:
    """Horizontal bars, one per row, split into the series (e.g. submitted, draft, invited)."""
    label_w, row_h, top = 220, 26, 30
    plot_w = width - label_w - 60
    total_max = max((sum(b.values) for b in bars), default=0) or 1
    height = top + row_h * len(bars) + 10
    body: list[str] = []
    x = label_w
    for i, name in enumerate(series):  # legend
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        body.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        body.append(
            f'<text x="{x + 16}" y="16" font-size="12" fill="#1b1b1b">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    for row, bar in enumerate(bars):
        y = top + row * row_h
        body.append(
            f'<text x="{label_w - 8}" y="{y + 16}" font-size="13" text-anchor="end" '
            f'fill="#1b1b1b">{escape(bar.label)}</text>'
        )
        offset = float(label_w)
        for i, value in enumerate(bar.values):
            w = plot_w * value / total_max
            if w > 0:
                colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
                body.append(
                    f'<rect x="{offset:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                    f'fill="{colour}"><title>{escape(bar.label)}: {value} {escape(series[i])}'
                    "</title></rect>"
                )
            offset += w
        body.append(
            f'<text x="{offset + 6:.1f}" y="{y + 16}" font-size="12" fill="#1b1b1b">'
            f"{sum(bar.values)}</text>"
        )
    desc = "; ".join(
        f"{b.label}: " + ", ".join(f"{v} {s}" for v, s in zip(b.values, series, strict=True))
        for b in bars
    )
    return _frame(width, height, title, desc, body, ident)


def cumulative_line(
    times: Sequence[datetime], *, title: str, ident: str = "line", width: int = 640
) -> Markup:
    """Running total over time (e.g. submissions arriving), one step per event."""
    height, left, bottom, top = 200, 50, 30, 15
    plot_w, plot_h = width - left - 20, height - top - bottom
    axis = 'stroke="#505a5f"'
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" {axis}/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" {axis}/>',
    ]
    if not times:
        body.append(_text(left + 10, top + 20, "No submissions yet"))
        return _frame(width, height, title, "No submissions yet.", body, ident)
    first, last = times[0], times[-1]
    span = max((last - first).total_seconds(), 1.0)
    peak = len(times)

    def x(moment: datetime) -> float:
        return left + plot_w * (moment - first).total_seconds() / span

    def y(value: int) -> float:
        return top + plot_h * (1 - value / peak)

    coords = [(float(left), y(0))]
    for n, moment in enumerate(times, start=1):
        coords += [(x(moment), y(n - 1)), (x(moment), y(n))]
    coords.append((float(left + plot_w), y(peak)))
    path = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
    body.append(f'<polyline points="{path}" fill="none" stroke="#0072B2" stroke-width="3"/>')
    body.append(_text(left - 6, top + 5, str(peak), anchor="end"))
    body.append(_text(left - 6, top + plot_h, "0", anchor="end"))
    body.append(_text(left, height - 8, _stamp(first)))
    body.append(_text(left + plot_w, height - 8, _stamp(last), anchor="end"))
    desc = f"{peak} submissions from {_stamp(first)} to {_stamp(last)}."
    return _frame(width, height, title, desc, body, ident)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%d %b %Y %H:%M")
