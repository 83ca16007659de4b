"""The report as one self-contained HTML file: charts embedded, print stylesheet included.

The same HTML feeds WeasyPrint for the PDF, so the print rules (contents page with page
numbers, page footers, no breaks inside figures) live here too.
"""

from __future__ import annotations

import base64

import jinja2
from markupsafe import Markup, escape

from innostudy.reporting.document import (
    QUOTE_NOTE,
    SYNTHETIC_NOTICE,
    BulletList,
    Document,
    Figure,
    GapBlock,
    Heading,
    Inline,
    Note,
    Paragraph,
    QuoteItem,
    QuoteList,
    Table,
)

_TAGS = {"em": "em", "strong": "strong", "code": "code"}


def inline_html(inlines: list[Inline]) -> Markup:
    parts: list[str] = []
    for run in inlines:
        text = str(escape(run.text))
        if run.kind == "stat":
            parts.append(f'<span class="stat" data-stat="{escape(run.href)}">{text}</span>')
        elif run.kind == "gap":
            parts.append(f'<mark class="gap">{text}</mark>')
        elif run.kind == "link" and run.href.startswith(("http://", "https://", "mailto:", "#")):
            parts.append(f'<a href="{escape(run.href)}">{text}</a>')
        elif run.kind in _TAGS:
            parts.append(f"<{_TAGS[run.kind]}>{text}</{_TAGS[run.kind]}>")
        else:
            parts.append(text)
    return Markup("".join(parts))


def quote_html(item: QuoteItem) -> Markup:
    """A quote's pieces: verbatim words, ". . ." cuts and [clarifications], told apart."""
    out: list[str] = []
    for kind, text, space in item.parts():
        gap = " " if space else ""
        if kind == "text":
            out.append(gap + str(escape(text)))
        else:
            out.append(f'{gap}<span class="{kind}">{escape(text)}</span>')
    return Markup("".join(out))


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("innostudy.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = inline_html
    env.filters["data_uri"] = data_uri
    env.filters["quote"] = quote_html
    env.tests.update(
        {
            "paragraph": lambda b: isinstance(b, Paragraph),
            "heading": lambda b: isinstance(b, Heading),
            "bullets": lambda b: isinstance(b, BulletList),
            "quotes": lambda b: isinstance(b, QuoteList),
            "figure": lambda b: isinstance(b, Figure),
            "table": lambda b: isinstance(b, Table),
            "note": lambda b: isinstance(b, Note),
            "gap": lambda b: isinstance(b, GapBlock),
        }
    )
    return env


def render_html(document: Document, *, for_print: bool = False) -> str:
    return (
        _environment()
        .get_template("report.html")
        .render(doc=document, for_print=for_print, notice=SYNTHETIC_NOTICE, quote_note=QUOTE_NOTE)
    )
