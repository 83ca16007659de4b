"""HTML → PDF with WeasyPrint (no browser needed); the page size comes from the CSS."""

from __future__ import annotations

import logging


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    # WeasyPrint logs every CSS property it does not support (e.g. screen-only rules);
    # those are expected here and say nothing about the output.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html).render()
    return bytes(document.write_pdf())


def page_count(html: str) -> int:
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return len(weasyprint.HTML(string=html).render().pages)
