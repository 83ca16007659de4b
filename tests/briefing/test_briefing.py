"""The demo's briefing: every number shown equals the data, prompts in the notes, one-page handout."""

from __future__ import annotations

import io
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pypdf import PdfReader

from innostudy.analysis import formatting
from innostudy.areas import load_areas
from innostudy.briefing.pptx_deck import slide_texts
from innostudy.demo.build import DemoSummary


def expected_text(kind: str, names: list[str], reference: dict[str, Any]) -> str:
    values = [reference[n] for n in names]
    if kind == "pct":
        return formatting.pct(values[0])
    if kind == "ci":
        return formatting.ci(values[0], values[1])
    if kind == "count":
        return formatting.count(values[0])
    if kind == "months":
        return formatting.months(values[0])
    assert kind == "number", kind
    return formatting.number(values[0])


class StatSpans(HTMLParser):
    """(data-stat, data-kind, shown text) of every number in an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.sources: list[str] = []
        self._open: tuple[str, str] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-stat" in a:
            self._open, self._text = (str(a["data-stat"]), str(a["data-kind"])), ""
        for key in ("src", "href"):
            if a.get(key):
                self.sources.append(str(a[key]))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._open:
            self.found.append((*self._open, self._text))
            self._open = None


@pytest.fixture(scope="module")
def briefing(demo_study: DemoSummary) -> Path:
    return demo_study.folder / "briefing"


def test_the_demo_writes_all_three_formats_and_the_handout(briefing: Path) -> None:
    assert sorted(p.name for p in briefing.iterdir()) == [
        "briefing.html", "briefing.pdf", "briefing.pptx", "handout.html", "handout.pdf",
    ]  # fmt: skip


def test_every_number_on_the_slides_equals_the_data(
    briefing: Path, demo_reference: dict[str, Any]
) -> None:
    checked = 0
    for slide in slide_texts((briefing / "briefing.pptx").read_bytes()):
        for name, text in slide:
            if not name.startswith("stats:"):
                continue
            for entry in name.removeprefix("stats:").split(";"):
                kind, names = entry.split("=")
                shown = expected_text(kind, names.split(","), demo_reference)
                assert shown in text, (entry, shown, text)
                checked += 1
    assert checked > 60


@pytest.mark.parametrize("page", ["briefing.html", "handout.html"])
def test_every_number_in_the_html_equals_the_data(
    briefing: Path, demo_reference: dict[str, Any], page: str
) -> None:
    parser = StatSpans()
    parser.feed((briefing / page).read_text(encoding="utf-8"))
    assert len(parser.found) > 20
    for names, kind, text in parser.found:
        assert text == expected_text(kind, names.split(","), demo_reference), (names, kind)
    # self-contained: every image is inline, nothing is fetched
    assert all(s.startswith("data:") for s in parser.sources), parser.sources[:3]


def test_slides_follow_the_areas_with_prompts_in_the_notes(
    briefing: Path, demo_study: DemoSummary
) -> None:
    areas = load_areas(demo_study.folder / "areas.yaml")
    prs = Presentation(io.BytesIO((briefing / "briefing.pptx").read_bytes()))
    slides = list(prs.slides)
    assert len(slides) == 2 + 2 * len(areas)
    texts = slide_texts((briefing / "briefing.pptx").read_bytes())
    assert "Innovation in public organisations (synthetic demo)" in "\n".join(
        t for _, t in texts[0]
    )
    for slide in texts:
        assert ("synthetic", "SYNTHETIC DEMO DATA") in slide
    for i, area in enumerate(areas):
        for slide in slides[2 + 2 * i : 4 + 2 * i]:
            kicker = next(s.text_frame.text for s in slide.shapes if s.name == "kicker")
            assert kicker == f"{i + 1} · {area.title.upper()}"
            notes = slide.notes_slide.notes_text_frame.text
            for prompt in area.prompts:
                assert prompt in notes
            pictures = [s.name for s in slide.shapes if s.name.startswith("figure:")]
            assert len(pictures) == 1


def test_the_handout_is_one_page_and_the_deck_one_page_per_slide(briefing: Path) -> None:
    assert len(PdfReader(briefing / "handout.pdf").pages) == 1
    deck = PdfReader(briefing / "briefing.pdf")
    assert len(deck.pages) == 12
    width, height = float(deck.pages[0].mediabox.width), float(deck.pages[0].mediabox.height)
    assert round(width / height, 2) == round(16 / 9, 2)
    text = deck.pages[4].extract_text()
    assert "SYNTHETIC DEMO DATA" in text


def test_the_handout_lists_every_prompt(briefing: Path, demo_study: DemoSummary) -> None:
    html = unescape((briefing / "handout.html").read_text(encoding="utf-8"))
    for area in load_areas(demo_study.folder / "areas.yaml"):
        assert f"{area.title}</h2>" in html
        for prompt in area.prompts:
            assert prompt in html
    assert re.search(r"SYNTHETIC DEMO DATA", html)
