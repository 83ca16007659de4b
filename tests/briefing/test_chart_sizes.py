"""Charts on the briefing's PDF slides keep their shape and one scale: a chart with three
bars is not stretched to fill the slide (its bars would be twice as tall as elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from innostudy.analysis.charts.style import PNG_DPI
from innostudy.briefing.html_deck import CHART_BOX, SLIDE_PX_PER_INCH, chart_box
from innostudy.demo.build import DemoSummary


def _placed_images(pdf: Path) -> list[tuple[int, float, float, int, int]]:
    """(page, drawn width, drawn height, pixel width, pixel height) of every image drawn."""
    placed = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        xobjects = page["/Resources"].get("/XObject", {})
        stack: list[list[float]] = []
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        for operands, op in page.get_contents().operations:  # type: ignore[union-attr]
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop()
            elif op == b"cm":
                a, b, c, d, e, f = (float(x) for x in operands)
                m = ctm
                ctm = [
                    a * m[0] + b * m[2],
                    a * m[1] + b * m[3],
                    c * m[0] + d * m[2],
                    c * m[1] + d * m[3],
                    e * m[0] + f * m[2] + m[4],
                    e * m[1] + f * m[3] + m[5],
                ]
            elif op == b"Do":
                obj = xobjects[operands[0]]
                obj = obj.get_object() if isinstance(obj, IndirectObject) else obj
                if obj.get("/Subtype") == "/Image":
                    placed.append((number, ctm[0], ctm[3], int(obj["/Width"]), int(obj["/Height"])))
    return placed


@pytest.fixture(scope="module")
def placed(demo_study: DemoSummary) -> list[tuple[int, float, float, int, int]]:
    return _placed_images(demo_study.folder / "briefing" / "briefing.pdf")


def test_every_chart_keeps_its_shape(placed: list[tuple[int, float, float, int, int]]) -> None:
    assert len(placed) == 10  # one chart on each area slide
    for page, width, height, px_w, px_h in placed:
        assert width / height == pytest.approx(px_w / px_h, rel=0.01), f"slide {page} stretched"


def test_charts_share_one_scale_unless_too_tall_for_the_slide(
    placed: list[tuple[int, float, float, int, int]],
) -> None:
    """Bars are as tall on a three-bar chart as on any other that fits the slide."""
    scales = []
    for _, width, _, px_w, px_h in placed:
        inches = (px_w / PNG_DPI, px_h / PNG_DPI)
        natural = (round(inches[0] * SLIDE_PX_PER_INCH), round(inches[1] * SLIDE_PX_PER_INCH))
        if chart_box(*inches) == natural:  # not shrunk to fit
            scales.append(width / px_w)
    assert len(scales) >= 3
    assert max(scales) / min(scales) == pytest.approx(1.0, abs=0.01)


def test_chart_box_never_stretches() -> None:
    assert chart_box(7.0, 2.6) == (800, 297)  # three bars: full width, its own height
    w, h = chart_box(7.0, 6.0)  # too tall: shrunk, same shape
    assert h == CHART_BOX[1] and w / h == pytest.approx(7.0 / 6.0, rel=0.01)
