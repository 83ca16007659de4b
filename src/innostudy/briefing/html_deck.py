"""The briefing and the handout as self-contained HTML (inline CSS, charts as data URIs).

Numbers are wrapped in ``<span class="stat" data-stat="…">`` so each one can be traced to
the statistic it shows. The same HTML, printed by WeasyPrint, is the PDF.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

import jinja2

from innostudy.briefing.content import Briefing


def data_uri(data: bytes, fmt: str) -> str:
    mime = {"svg": "image/svg+xml", "png": "image/png"}[fmt]
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("innostudy.briefing", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


# The chart area of a slide (briefing.html: 1280 wide less margins and the side column).
CHART_BOX = (800, 490)
SLIDE_PX_PER_INCH = CHART_BOX[0] / 7.0  # a slide chart is 7 in wide (build.SLIDE_CHART_WIDTH)


def chart_box(width_in: float, height_in: float) -> tuple[int, int]:
    """The size a chart is shown at on a slide, in CSS pixels.

    Every chart is drawn at the same scale, so a bar is as tall on a three-bar chart as
    on a ten-bar one; only a chart too tall for the slide is shrunk, keeping its shape.
    (Left to the browser or WeasyPrint, a short chart was stretched to fill the area.)
    """
    w, h = width_in * SLIDE_PX_PER_INCH, height_in * SLIDE_PX_PER_INCH
    shrink = min(1.0, CHART_BOX[0] / w, CHART_BOX[1] / h)
    return round(w * shrink), round(h * shrink)


def render_deck_html(
    deck: Briefing, charts: Mapping[str, str], boxes: Mapping[str, tuple[int, int]]
) -> str:
    """The slides, one 1280 × 720 section each, with speaker notes under each on screen."""
    template = _environment().get_template("briefing.html")
    return template.render(deck=deck, charts=charts, boxes=boxes, total=2 + len(deck.slides))


def render_handout_html(deck: Briefing) -> str:
    """One A4 page: the headline figures and discussion prompts of every area."""
    return _environment().get_template("handout.html").render(deck=deck)
