"""Charts as bytes (PNG or SVG), drawn from the analysis tables alone.

Charts read nothing but a Summary's tables and figure list, so a saved analysis
(``summary.read``) draws the same charts as a fresh one. One module per kind of chart;
this module picks the kind and supplies the words around it.
"""

from __future__ import annotations

import polars as pl
from matplotlib.figure import Figure

from innostudy.analysis import formatting
from innostudy.analysis.charts import style
from innostudy.analysis.charts.bars import Bar, bars_chart, bars_from, display_order, panels_chart
from innostudy.analysis.charts.likert import diverging_chart
from innostudy.analysis.charts.numeric import by_type_chart, distribution_chart, durations_chart
from innostudy.analysis.charts.ranking import ranking_chart
from innostudy.analysis.figures import (
    BARS,
    BY_ORG_TYPE,
    DISTRIBUTION,
    DIVERGING,
    DURATIONS,
    RANKING,
    FigureSpec,
)
from innostudy.analysis.summary import Summary

FORMATS = ("png", "svg")
_MEASURE_WORDS = {
    "answer": "",
    "ranked_first": "Share ranking each item first. ",
    "chosen": "Share choosing each option. ",
}


def _footer(summary: Summary) -> str:
    who = summary.study_name or "study"
    text = f"Source: {who} survey, {summary.respondents} submitted responses."
    return f"{text} Synthetic demo data." if summary.synthetic else text


def _answered(summary: Summary, key: str) -> str:
    n = summary.stats.get(f"{key}.answered")
    return f"n = {n} organisations that answered" if n is not None else ""


def _frame(
    summary: Summary, spec: FigureSpec, look: tuple[bool, float], subtitle: str | None = None
) -> style.Frame:
    text = subtitle if subtitle is not None else _answered(summary, spec.questions[0])
    titled, width = look
    return style.Frame(spec.title, text, _footer(summary), titled, width)


def _rows(summary: Summary, table: str, key: str) -> pl.DataFrame:
    return summary.tables[table].filter(pl.col("question") == key)


def _unit(summary: Summary, key: str) -> str:
    numeric = _rows(summary, "numeric", key)
    return "months" if numeric.height and numeric["type"][0] == "months" else "value"


def _test_note(tests: pl.DataFrame) -> str:
    """One line on the tests of association behind a small-multiples chart."""
    done = tests.filter(pl.col("test") != "none")
    if tests.height == 1:
        row = tests.row(0, named=True)
        if row["test"] in formatting.TEST_NAMES:
            result = formatting.test_result(row["test"], row["p_value"], row["p_holm"])
            v = f", Cramér's V = {row['cramers_v']:.2f}" if row["cramers_v"] is not None else ""
            return f"By type: {result}{v}."
        return f"{str(row['note']).capitalize()}."
    if done.height == 0:
        return "No test by type: too few answers per organisation type."
    smallest = formatting.p_value(float(done["p_value"].min()))  # type: ignore[arg-type]
    holm = formatting.p_value(float(done["p_holm"].min()))  # type: ignore[arg-type]
    return (
        f"Tested by type where counts allow ({done.height} of {tests.height}); "
        f"smallest p = {smallest} (Holm-adjusted {holm})."
    )


def _panel_order(summary: Summary, key: str, measure: str) -> list[str]:
    """The order of bars in every panel: the order of the overall chart."""
    if measure == "high":
        likert = _rows(summary, "likert_summary", key).sort(
            "high_share", descending=True, nulls_last=True
        )
        return likert["item"].to_list()
    if measure == "ranked_first":
        return _rows(summary, "rankings", key).sort("position")["value"].to_list()
    choices = _rows(summary, "choices", key)
    return (
        display_order(choices, str(choices["type"][0]))["value"].to_list() if choices.height else []
    )


def _by_type_panels(summary: Summary, key: str) -> tuple[list[tuple[str, list[Bar]]], pl.DataFrame]:
    """One panel of bars per organisation type, bars in the overall chart's order."""
    cells = _rows(summary, "crosstabs", key)
    tests = _rows(summary, "crosstab_tests", key)
    if cells.height == 0:
        return [], tests
    measure = str(cells["measure"][0])
    if measure in ("answer", "ranked_first"):
        pick, labelled = "value", cells.with_columns(pl.col("value_label").alias("_label"))
    else:
        labels = _item_labels(summary, key, measure)
        pick = "item"
        labelled = cells.filter(pl.col("value").is_in(["chosen", "high"])).with_columns(
            pl.col("item").replace_strict(labels, default=pl.col("item")).alias("_label")
        )
    order = {v: i for i, v in enumerate(_panel_order(summary, key, measure))}
    panels = []
    for (org_label,), part in labelled.group_by("org_type_label", maintain_order=True):
        rank = pl.col(pick).replace_strict(order, default=len(order), return_dtype=pl.Int64)
        ordered = part.with_columns(rank.alias("_o")).sort("_o")
        row_n = ordered.select(pl.col("row_n").max()).item()
        panels.append((f"{org_label} (n = {row_n})", bars_from(ordered, "_label", "row_pct")))
    return panels, tests


def _item_labels(summary: Summary, key: str, measure: str) -> dict[str, str]:
    if measure == "high":
        rows = _rows(summary, "likert_summary", key)
        return dict(zip(rows["item"], rows["item_label"], strict=True))
    rows = _rows(summary, "choices", key)
    return dict(zip(rows["value"], rows["label"], strict=True))


def draw(
    summary: Summary, spec: FigureSpec, *, titled: bool = True, width: float = style.WIDTH
) -> Figure:
    """The figure object itself (tests inspect it; ``render`` turns it into bytes).

    ``titled=False`` leaves out the title and source line, for slides that carry their own.
    """
    key = spec.questions[0]
    look = (titled, width)
    if spec.kind == BARS:
        rows = _rows(summary, "choices", key)
        return bars_chart(rows, str(rows["type"][0]), _frame(summary, spec, look))
    if spec.kind == RANKING:
        return ranking_chart(
            _rows(summary, "rankings", key),
            _rows(summary, "rank_positions", key),
            _frame(summary, spec, look),
        )
    if spec.kind == DIVERGING:
        return diverging_chart(
            _rows(summary, "likert", key),
            _rows(summary, "likert_summary", key),
            _frame(summary, spec, look),
        )
    if spec.kind == DURATIONS:
        numeric = summary.tables["numeric"].filter(pl.col("question").is_in(spec.questions))
        labels = {k: summary.question_label(k) for k in spec.questions}
        frame = _frame(summary, spec, look, "Organisations that gave each duration")
        return durations_chart(numeric, summary.tables["numeric_values"], labels, frame)
    if spec.kind == DISTRIBUTION:
        row = _rows(summary, "numeric", key).row(0, named=True)
        return distribution_chart(
            row,
            _rows(summary, "numeric_values", key),
            _unit(summary, key),
            _frame(summary, spec, look),
        )
    if spec.kind == BY_ORG_TYPE:
        return _by_type(summary, spec, look)
    raise ValueError(f"unknown figure kind {spec.kind!r}")


def _by_type(summary: Summary, spec: FigureSpec, look: tuple[bool, float]) -> Figure:
    key = spec.questions[0]
    numeric = _rows(summary, "numeric_by_org_type", key)
    if _rows(summary, "numeric", key).height:
        return by_type_chart(numeric, _unit(summary, key), _frame(summary, spec, look))
    panels, tests = _by_type_panels(summary, key)
    measure = str(tests["measure"][0]) if tests.height else "answer"
    what = _MEASURE_WORDS.get(measure, "")
    if measure == "high":
        top = _rows(summary, "likert_summary", key)["high_levels"]
        what = f"Share answering {top[0] if top.len() else 'high'}. "
    frame = _frame(summary, spec, look, f"{what}{_test_note(tests)}")
    return panels_chart(panels, frame)


def render(summary: Summary, spec: FigureSpec, fmt: str = "png", *, titled: bool = True) -> bytes:
    """A named figure as PNG or SVG bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r} (choose from {', '.join(FORMATS)})")
    return style.to_bytes(draw(summary, spec, titled=titled), fmt)
