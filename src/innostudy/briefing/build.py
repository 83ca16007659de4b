"""`innostudy brief`: compute the analysis, compose the briefing, render it, write it atomically.

Outputs (in the study's ``briefing/`` folder by default)::

    briefing.pptx           --format pptx   slides with speaker notes
    briefing.html           --format html   the same slides, self-contained, notes under each
    handout.html            --format html   the one-page handout
    briefing.pdf            --format pdf    the slides, one per page
    handout.pdf             --format pdf    the handout, one A4 page

Every output passes the personal-data gate before anything is written, and the folder
is replaced as a whole, so a failure leaves the previous briefing in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from innostudy.analysis import summary as analysis
from innostudy.analysis.charts import draw
from innostudy.analysis.charts.style import to_bytes
from innostudy.analysis.outputs import parse_formats
from innostudy.areas import AREAS, parse_areas_text
from innostudy.atomic import atomic_folder
from innostudy.briefing.choice import slide_figures
from innostudy.briefing.compose import compose
from innostudy.briefing.content import Briefing
from innostudy.briefing.html_deck import (
    chart_box,
    data_uri,
    render_deck_html,
    render_handout_html,
)
from innostudy.briefing.pdf import html_to_pdf
from innostudy.briefing.pptx_deck import render_pptx, slide_texts
from innostudy.definitions.reading import current_text
from innostudy.personal_data import PersonalData
from innostudy.storage.store import StudyStore

FORMATS = ("pptx", "html", "pdf")
BRIEFING_DIR = "briefing"
SLIDE_CHART_WIDTH = 7.0  # inches: a little narrower than the house width, so text reads larger
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BriefingResult:
    folder: Path
    files: tuple[Path, ...]
    slides: int


class ChartCache:
    """Each figure drawn once, then saved as PNG (PowerPoint) or SVG (HTML and PDF)."""

    def __init__(self, summary: analysis.Summary, progress: Progress) -> None:
        self.summary = summary
        self.progress = progress
        self._figures: dict[str, Figure] = {}
        self._bytes: dict[tuple[str, str], bytes] = {}

    def figure(self, name: str) -> Figure:
        if name not in self._figures:
            self.progress(f"chart {name}")
            self._figures[name] = draw(
                self.summary, self.summary.figures[name], titled=False, width=SLIDE_CHART_WIDTH
            )
        return self._figures[name]

    def get(self, name: str, fmt: str) -> bytes:
        if (name, fmt) not in self._bytes:
            self._bytes[(name, fmt)] = to_bytes(self.figure(name), fmt)
        return self._bytes[(name, fmt)]

    def box(self, name: str) -> tuple[int, int]:
        """The size the chart is shown at on a slide."""
        width, height = self.figure(name).get_size_inches()
        return chart_box(float(width), float(height))


def render_all(
    deck: Briefing, charts: ChartCache, formats: Sequence[str], progress: Progress
) -> dict[str, bytes]:
    """File name → bytes for every requested format."""
    files: dict[str, bytes] = {}
    if "pptx" in formats:
        files["briefing.pptx"] = render_pptx(deck, lambda name: charts.get(name, "png"))
        progress("briefing.pptx")
    handout_html = render_handout_html(deck)
    boxes = {s.figure: charts.box(s.figure) for s in deck.slides}
    if "html" in formats:
        svgs = {s.figure: data_uri(charts.get(s.figure, "svg"), "svg") for s in deck.slides}
        files["briefing.html"] = render_deck_html(deck, svgs, boxes).encode("utf-8")
        files["handout.html"] = handout_html.encode("utf-8")
    if "pdf" in formats:
        # PNG, not SVG: WeasyPrint draws matplotlib's glyph-path SVGs slowly, and a
        # 200 dpi raster prints as sharply as a projector shows it.
        pngs = {s.figure: data_uri(charts.get(s.figure, "png"), "png") for s in deck.slides}
        files["briefing.pdf"] = html_to_pdf(render_deck_html(deck, pngs, boxes))
        progress("briefing.pdf")
        files["handout.pdf"] = html_to_pdf(handout_html)
        progress("handout.pdf")
    return files


def visible_text(name: str, data: bytes) -> str:
    """What a reader could see in an output, for the personal-data gate."""
    if name.endswith(".pptx"):
        return "\n".join(text for slide in slide_texts(data) for _, text in slide)
    if name.endswith(".html"):
        return re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]*"', "", data.decode("utf-8")))
    return ""  # PDFs are printed from the HTML checked above


def build_briefing(
    store: StudyStore,
    *,
    formats: Sequence[str] = FORMATS,
    out: Path | None = None,
    allow_personal_data: bool = False,
    progress: Progress = lambda _msg: None,
    summary: analysis.Summary | None = None,
) -> BriefingResult:
    """Analyse the study now (or use ``summary``) and write its briefing, all or nothing."""
    areas_text = current_text(store, AREAS)
    areas = parse_areas_text(*areas_text)
    summary = summary or analysis.load(store)
    chosen = slide_figures(summary.figures, [a.key for a in areas], areas_text)
    deck = compose(summary, areas, chosen, organisation=str(store.settings["study.organisation"]))
    files = render_all(deck, ChartCache(summary, progress), formats, progress)
    folder = (out or store.path(BRIEFING_DIR)).resolve()
    if not allow_personal_data:
        with store.session() as session:
            personal = PersonalData.of(session)
        for name, data in files.items():
            personal.check(visible_text(name, data), str(folder / name))
    write_files(folder, files)
    return BriefingResult(folder, tuple(folder / n for n in files), 2 + len(deck.slides))


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    with atomic_folder(folder) as scratch:
        for name, data in files.items():
            (scratch / name).write_bytes(data)


def briefing_formats(text: str) -> tuple[str, ...]:
    return parse_formats(text, FORMATS, "--format", required=True)
