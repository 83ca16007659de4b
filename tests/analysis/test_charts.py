"""Charts: every figure draws without a warning, and what is drawn is what the tables say."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import polars as pl
import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from innostudy.analysis import summary as analysis
from innostudy.analysis.charts import draw, render
from innostudy.analysis.figures import KINDS
from innostudy.analysis.frames import from_answers
from innostudy.survey.instrument import Instrument
from tests.analysis.conftest import synthetic_rows


def one_per_path(summary: analysis.Summary) -> list[str]:
    """One figure per kind and question type: each takes its own path through the code."""
    types = dict(summary.tables["questions"].select("question", "type").iter_rows())
    seen: dict[tuple[str, str], str] = {}
    for name, spec in summary.figures.items():
        seen.setdefault((spec.kind, types[spec.questions[0]]), name)
    return list(seen.values())


def test_every_kind_of_demo_figure_draws_without_warnings(demo_analysis: analysis.Summary) -> None:
    names = one_per_path(demo_analysis)
    assert len(names) >= 12
    for name in names:
        fig = draw(demo_analysis, demo_analysis.figures[name])
        fig.canvas.draw()  # runs the layout; any warning fails the test (filterwarnings=error)
        assert fig.texts, name


@pytest.mark.parametrize("kind", KINDS)
def test_one_figure_of_each_kind_as_png_and_svg(demo_analysis: analysis.Summary, kind: str) -> None:
    spec = next(s for s in demo_analysis.figures.values() if s.kind == kind)
    png = render(demo_analysis, spec, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
    svg = render(demo_analysis, spec, "svg")
    assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
    assert b"<text" not in svg  # text is drawn as paths: the SVG needs no fonts


def _bars(fig_axes: object) -> list[Rectangle]:
    return [p for p in fig_axes.patches if isinstance(p, Rectangle) and p.get_width() > 0]  # type: ignore[attr-defined]


def test_bars_are_the_table_percentages_with_their_intervals(
    demo_analysis: analysis.Summary,
) -> None:
    fig = draw(demo_analysis, demo_analysis.figures["technology_bars"])
    (ax,) = fig.axes
    rows = demo_analysis.tables["choices"].filter(pl.col("question") == "technology")
    widths = sorted(round(p.get_width(), 9) for p in _bars(ax))
    assert widths == sorted(round(v, 9) for v in rows["pct"].to_list() if v)
    whiskers = [
        seg for c in ax.collections if isinstance(c, LineCollection) for seg in c.get_segments()
    ]
    ends = sorted((round(float(s[0][0]), 9), round(float(s[1][0]), 9)) for s in whiskers)
    expected = sorted(
        (round(lo, 9), round(hi, 9)) for lo, hi in zip(rows["ci_low"], rows["ci_high"], strict=True)
    )
    assert ends == expected


def test_diverging_segments_start_where_the_table_says(demo_analysis: analysis.Summary) -> None:
    fig = draw(demo_analysis, demo_analysis.figures["impacts_diverging"])
    ax = fig.axes[0]
    lefts = sorted(round(p.get_x(), 9) for p in _bars(ax))
    table = demo_analysis.tables["likert"].filter(
        (pl.col("question") == "impacts") & (pl.col("pct") > 0)
    )
    assert lefts == sorted(round(v, 9) for v in table["diverging_start"].to_list())


def test_ranking_segments_are_the_rank_shares(demo_analysis: analysis.Summary) -> None:
    fig = draw(demo_analysis, demo_analysis.figures["barriers_ranked"])
    widths = sorted(round(p.get_width(), 9) for p in _bars(fig.axes[0]))
    positions = demo_analysis.tables["rank_positions"].filter(pl.col("pct") > 0)
    assert widths == sorted(round(v, 9) for v in positions["pct"].to_list())


def _texts(fig: object) -> str:
    parts = [t.get_text() for t in fig.texts]  # type: ignore[attr-defined]
    for ax in fig.axes:  # type: ignore[attr-defined]
        parts += [t.get_text() for t in ax.texts]
    return "\n".join(parts)


@pytest.mark.parametrize("n", [0, 1])
def test_charts_of_empty_and_single_respondent_studies(instrument: Instrument, n: int) -> None:
    result = analysis.analyse(
        from_answers(instrument, synthetic_rows(instrument, n, 4)), synthetic=True
    )
    for name in one_per_path(result):
        spec = result.figures[name]
        fig = draw(result, spec)
        fig.canvas.draw()
        if n == 0 and spec.kind != "durations":
            assert "No answers yet" in _texts(fig), spec.name
    assert "Synthetic demo data." in _texts(draw(result, result.figures["category_bars"]))


def test_slide_charts_leave_the_words_to_the_slide(demo_analysis: analysis.Summary) -> None:
    fig = draw(demo_analysis, demo_analysis.figures["category_bars"], titled=False, width=7.0)
    text = _texts(fig)
    assert "Which category" not in text and "Source:" not in text
    assert "95% Wilson intervals" in text
    assert fig.get_size_inches()[0] == 7.0


def test_small_cells_are_hatched(demo_analysis: analysis.Summary) -> None:
    fig = draw(demo_analysis, demo_analysis.figures["category_bars"])
    rows = demo_analysis.tables["choices"].filter(
        (pl.col("question") == "category") & (pl.col("count") > 0)
    )
    hatched = [p for p in _bars(fig.axes[0]) if p.get_hatch()]
    assert len(hatched) == rows.filter(pl.col("small")).height


def test_svg_bytes_are_reproducible(demo_study) -> None:  # type: ignore[no-untyped-def]
    """The report's HTML embeds SVG charts and must be byte-identical for the same data."""
    from innostudy.analysis import summary as analysis
    from innostudy.storage.store import StudyStore

    with StudyStore.open(demo_study.folder) as store:
        summary = analysis.load(store)
    for name in analysis.figure_names(summary):
        assert analysis.figure(summary, name, "svg") == analysis.figure(summary, name, "svg"), name
