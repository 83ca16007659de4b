"""The briefing as a PowerPoint deck (python-pptx), 16:9, in the house style.

Shapes that show numbers are named ``stats:<kind>=<stat>[,<stat>];…`` so the numbers on a
slide can be traced to the statistics they came from (the tests read these names).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from innostudy.analysis.charts import style
from innostudy.briefing.content import Briefing, Part, RateRow, Slide, StatRef

WIDTH, HEIGHT = 13.333, 7.5
FONT = "Arial"
ChartBytes = Callable[[str], bytes]


def _rgb(hex_colour: str) -> Any:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())  # type: ignore[no-untyped-call]


INK, MUTED, ACCENT = _rgb(style.INK), _rgb(style.MUTED), _rgb(style.ACCENT)
WARN, WHITE = _rgb(style.VERMILLION), _rgb("#FFFFFF")


def stats_name(refs: Sequence[StatRef]) -> str:
    return "stats:" + ";".join(f"{r.kind}={','.join(r.names)}" for r in refs)


def _box(slide: Any, x: float, y: float, w: float, h: float, name: str = "") -> Any:
    shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = Inches(0.02)
    frame.margin_top = frame.margin_bottom = Inches(0.02)
    return shape


def _para(
    frame: Any,
    parts: Sequence[Part],
    size: float,
    colour: Any = INK,
    bold: bool = False,
    first: bool = False,
    italic: bool = False,
    space: float = 4,
) -> Any:
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    paragraph.space_after = Pt(space)
    for part in parts:
        run = paragraph.add_run()
        run.text = part if isinstance(part, str) else part.text
        font = run.font
        font.name, font.size, font.color.rgb = FONT, Pt(size), colour
        font.bold = bold or isinstance(part, StatRef)
        font.italic = italic
    return paragraph


def _text(
    slide: Any,
    x: float,
    y: float,
    w: float,
    h: float,
    parts: Sequence[Part],
    size: float,
    *,
    colour: Any = INK,
    bold: bool = False,
    italic: bool = False,
    name: str = "",
) -> None:
    refs = [p for p in parts if isinstance(p, StatRef)]
    box = _box(slide, x, y, w, h, stats_name(refs) if refs else name)
    _para(box.text_frame, parts, size, colour, bold, first=True, italic=italic)


def _chrome(slide: Any, deck: Briefing, number: int, total: int) -> None:
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(WIDTH), Inches(0.09))
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()
    _text(slide, 0.6, 7.0, 10.5, 0.35, [deck.source_line], 9, colour=MUTED)
    _text(slide, 11.9, 7.0, 0.85, 0.35, [f"{number} / {total}"], 9, colour=MUTED)
    if deck.synthetic:
        badge = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, Inches(10.55), Inches(0.28), Inches(2.2), Inches(0.36)
        )
        badge.name = "synthetic"
        badge.fill.solid()
        badge.fill.fore_color.rgb = WARN
        badge.line.fill.background()
        frame = badge.text_frame
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        p = _para(frame, ["SYNTHETIC DEMO DATA"], 10.5, WHITE, bold=True, first=True, space=0)
        p.alignment = PP_ALIGN.CENTER


def _picture(slide: Any, png: bytes, x: float, y: float, w: float, h: float, name: str) -> None:
    """The chart centred in the box, at its drawn size or smaller to fit: never enlarged,
    so every chart has one scale and a chart with few bars is not blown up."""
    with Image.open(io.BytesIO(png)) as image:
        px_w, px_h = image.size
    scale = min(w / px_w, h / px_h, 1 / style.PNG_DPI)
    width, height = px_w * scale, px_h * scale
    left, top = x + (w - width) / 2, y + (h - height) / 2
    picture = slide.shapes.add_picture(
        io.BytesIO(png),
        Inches(left),
        Inches(top),
        Emu(int(Inches(width))),
        Emu(int(Inches(height))),
    )
    picture.name = f"figure:{name}"


def _notes(slide: Any, lines: Sequence[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _title_slide(prs: Any, deck: Briefing, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _chrome(slide, deck, 1, total)
    _text(slide, 0.9, 2.0, 11.5, 1.5, [deck.study_name], 36, bold=True)
    _text(
        slide,
        0.9,
        3.45,
        11.5,
        0.6,
        ["Focus-group briefing: early survey results"],
        22,
        colour=ACCENT,
    )
    who = " · ".join(t for t in (deck.organisation, deck.date) if t)
    _text(slide, 0.9, 4.2, 11.5, 0.5, [who], 16, colour=MUTED)
    _text(slide, 0.9, 4.9, 11.5, 0.6, ["A ", *deck.response.parts], 16)
    notes = ["Welcome and purpose: these are early survey figures to react to, not findings."]
    if deck.synthetic:
        notes.append("The data in this briefing are synthetic (innostudy demo).")
    _notes(slide, notes)


def _rates_table(slide: Any, rows: Sequence[RateRow]) -> None:
    shape = slide.shapes.add_table(
        len(rows) + 1, 4, Inches(0.6), Inches(1.7), Inches(6.6), Inches(0.4 * (len(rows) + 1))
    )
    shape.name = "stats:" + ";".join(
        f"{r.kind}={','.join(r.names)}"
        for row in rows
        for r in (row.in_scope, row.submitted, row.rate)
    )
    table = shape.table
    for col, (head, width) in enumerate(
        zip(
            ("Organisation type", "In scope", "Submitted", "Rate"),
            (3.3, 1.1, 1.1, 1.1),
            strict=True,
        )
    ):
        table.columns[col].width = Inches(width)
        table.cell(0, col).text = head
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(
            (row.label, row.in_scope.text, row.submitted.text, row.rate.text)
        ):
            table.cell(r, col).text = value
    for cell in (c for row in table.rows for c in row.cells):
        for paragraph in cell.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.name = Pt(13), FONT


def _overview_slide(prs: Any, deck: Briefing, number: int, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _chrome(slide, deck, number, total)
    _text(slide, 0.6, 0.55, 9.8, 0.8, ["The survey at a glance"], 28, bold=True)
    _rates_table(slide, deck.rates)
    box = _box(slide, 7.7, 1.7, 5.0, 4.8)
    _para(box.text_frame, ["How to read the figures"], 16, bold=True, first=True, space=8)
    for line in deck.how_to_read:
        _para(box.text_frame, [f"• {line}"], 13, space=8)
    _notes(slide, ["Walk through who answered and how to read the charts.", *deck.how_to_read])


def _area_slide(
    prs: Any, deck: Briefing, s: Slide, number: int, total: int, chart: ChartBytes
) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _chrome(slide, deck, number, total)
    _text(
        slide,
        0.6,
        0.3,
        9.6,
        0.35,
        [f"{s.area_number} · {s.area_title.upper()}"],
        12,
        colour=ACCENT,
        bold=True,
        name="kicker",
    )
    _text(slide, 0.6, 0.62, 12.1, 0.75, [s.title], 24, bold=True, name="title")
    _text(
        slide,
        0.6,
        1.32,
        12.1,
        0.4,
        [s.question],
        12,
        colour=MUTED,
        italic=True,
    )
    if s.big is not None:
        size = 54 if len(s.big.text) <= 5 else 38  # "22.5 months" must stay on one line
        _text(slide, 0.6, 1.9, 3.9, 1.0, [s.big], size, colour=ACCENT, bold=True)
    _text(slide, 0.6, 2.95, 3.9, 1.0, s.caption.parts, 14)
    facts = _box(slide, 0.6, 4.0, 3.9, 1.6, stats_name([r for f in s.facts for r in f.refs]))
    for i, f in enumerate(s.facts):
        _para(facts.text_frame, ["• ", *f.parts], 12.5, first=i == 0, space=5)
    if s.caveats:
        caveats = _box(slide, 0.6, 5.7, 3.9, 1.2)
        for i, c in enumerate(s.caveats):
            _para(caveats.text_frame, [c], 10, MUTED, first=i == 0, space=3)
    _picture(slide, chart(s.figure), 4.75, 1.85, 8.05, 5.05, s.figure)
    _notes(slide, s.notes)


def render_pptx(deck: Briefing, chart: ChartBytes) -> bytes:
    """The deck as .pptx bytes; ``chart(name)`` gives a figure's PNG without its title."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
    total = 2 + len(deck.slides)
    _title_slide(prs, deck, total)
    _overview_slide(prs, deck, 2, total)
    for number, s in enumerate(deck.slides, start=3):
        _area_slide(prs, deck, s, number, total, chart)
    prs.core_properties.title = f"{deck.study_name}: focus-group briefing"
    prs.core_properties.author = "innostudy"
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def slide_texts(data: bytes) -> list[list[tuple[str, str]]]:
    """(shape name, text) per slide: what a reader of the deck sees, for checks and tests."""
    prs = Presentation(io.BytesIO(data))
    result = []
    for slide in prs.slides:
        shapes = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                shapes.append((shape.name, shape.text_frame.text))
            elif shape.has_table:
                cells = [c.text for row in shape.table.rows for c in row.cells]
                shapes.append((shape.name, "\n".join(cells)))
        result.append(shapes)
    return result
