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


def render_deck_html(deck: Briefing, charts: Mapping[str, str]) -> str:
    """The slides, one 1280 × 720 section each, with speaker notes under each on screen."""
    template = _environment().get_template("briefing.html")
    return template.render(deck=deck, charts=charts, total=2 + len(deck.slides))


def render_handout_html(deck: Briefing) -> str:
    """One A4 page: the headline figures and discussion prompts of every area."""
    return _environment().get_template("handout.html").render(deck=deck)
