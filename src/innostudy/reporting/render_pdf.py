"""The report as PDF: WeasyPrint lays out the print version of the HTML (contents page
with page numbers, page footers, one PDF bookmark per section)."""

from __future__ import annotations

import logging

from innostudy.reporting.document import Document
from innostudy.reporting.render_html import render_html


def render_pdf(document: Document) -> bytes:
    import weasyprint

    # WeasyPrint logs every CSS property it does not know at WARNING; the stylesheet is
    # shared with browsers on purpose, so those messages are noise here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    html = render_html(document, for_print=True)
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
