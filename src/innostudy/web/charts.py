"""Server-rendered SVG charts: pure functions from numbers to markup, no JavaScript.

Colours are SVG presentation attributes (not style attributes), so the strict
Content-Security-Policy holds. Each chart has a title and description for screen
readers, and every page that shows one also shows the numbers as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from innostudy.web.timeline import Timeline
from innostudy.wording import counted

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


def timeline_bars(tl: Timeline, *, ident: str = "timeline", width: int = 640) -> Markup:
    """Submissions per bin (minute … month, chosen from the span), oldest on the left.

    At most ~6 axis labels, spaced evenly over the bins, so they never run together;
    every bar carries its own period and count as a tooltip and for screen readers.
    """
    height, left, right, bottom, top = 220, 44, 12, 42, 14
    plot_w, plot_h = width - left - right, height - top - bottom
    axis = 'stroke="#505a5f"'
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" {axis}/>',
    ]
    if not tl.bins:
        body.append(_text(left + 10, top + 20, "No submissions yet"))
        return _frame(width, height, tl.heading, "No submissions yet.", body, ident)
    n = len(tl.bins)
    peak = max(b.count for b in tl.bins) or 1
    slot = plot_w / n
    bar = max(1.0, slot * 0.8)
    every = max(1, -(-n // 6))  # ceil(n / 6)
    for i, b in enumerate(tl.bins):
        x = left + i * slot + (slot - bar) / 2
        h = plot_h * b.count / peak
        if b.count:
            body.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="#0072B2"><title>{escape(b.period)}: '
                f"{escape(counted(b.count, 'submission'))}</title></rect>"
            )
        if i % every == 0:
            centre = left + (i + 0.5) * slot
            body.append(_text(centre, top + plot_h + 16, b.label, anchor="middle", size=11))
    body.append(_text(left - 6, top + 5, str(peak), anchor="end"))
    body.append(_text(left - 6, top + plot_h, "0", anchor="end"))
    busiest = max(tl.bins, key=lambda b: b.count)
    desc = (
        f"{counted(tl.total, 'submission')} from {tl.bins[0].period} to {tl.bins[-1].period}, "
        f"per {tl.unit.noun}; most in one {tl.unit.noun}: {busiest.count} ({busiest.period})."
    )
    return _frame(width, height, tl.heading, desc, body, ident)


@dataclass(frozen=True)
class TalkSpan:
    """One turn on the talk timeline: where it starts and how long it lasts, in the
    chart's unit (milliseconds, or turn numbers where the transcript has no times)."""

    speaker: str
    start: float
    length: float
    note: str  # the tooltip: who, when, how many words
    quiet: bool = False  # a near-silent participant
    moderator: bool = False


def talk_timeline(
    spans: Sequence[TalkSpan],
    speakers: Sequence[str],
    *,
    title: str,
    axis: str,
    ident: str = "talk",
    width: int = 720,
) -> Markup:
    """One row per speaker, one mark per turn along the session: who held the floor when.

    Participants are blue, near-silent participants orange, the moderator and others
    grey; every mark has its own tooltip, and the page shows the numbers as a table.
    """
    label_w, row_h, top, bottom = 110, 22, 8, 30
    plot_w = width - label_w - 12
    height = top + row_h * len(speakers) + bottom
    end = max((s.start + s.length for s in spans), default=0.0) or 1.0
    row = {name: i for i, name in enumerate(speakers)}
    body: list[str] = []
    for name, i in row.items():
        y = top + i * row_h
        body.append(_text(label_w - 8, y + 15, name, anchor="end"))
        body.append(
            f'<line x1="{label_w}" y1="{y + row_h - 1}" x2="{label_w + plot_w}" '
            f'y2="{y + row_h - 1}" stroke="#e0e0e0"/>'
        )
    for s in spans:
        colour = "#BBBBBB" if s.moderator else "#E69F00" if s.quiet else "#0072B2"
        x = label_w + plot_w * s.start / end
        w = max(1.5, plot_w * s.length / end)
        y = top + row[s.speaker] * row_h + 3
        body.append(
            f'<rect class="turn" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{colour}"><title>{escape(s.note)}</title></rect>'
        )
    base = top + row_h * len(speakers)
    body.append(_text(label_w, base + 18, "0", size=11))
    body.append(_text(label_w + plot_w, base + 18, axis, anchor="end", size=11))
    desc = f"{counted(len(spans), 'turn')} by {counted(len(speakers), 'speaker')}; {axis}."
    return _frame(width, height, title, desc, body, ident)
