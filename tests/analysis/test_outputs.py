"""Writing an analysis: all or nothing, charts on request."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from innostudy.analysis import outputs
from innostudy.analysis import summary as analysis
from innostudy.analysis.outputs import parse_formats, write_analysis
from innostudy.errors import InnostudyError


def test_charts_are_written_in_each_format(demo_analysis: analysis.Summary, tmp_path: Path) -> None:
    two = dataclasses.replace(
        demo_analysis,
        figures={k: demo_analysis.figures[k] for k in ("category_bars", "stage_durations")},
    )
    drawn: list[str] = []
    write_analysis(two, tmp_path / "a", tables=(), charts=("png", "svg"), progress=drawn.append)
    assert sorted(p.name for p in (tmp_path / "a" / "charts").iterdir()) == [
        "category_bars.png", "category_bars.svg", "stage_durations.png", "stage_durations.svg",
    ]  # fmt: skip
    assert drawn == ["category_bars", "stage_durations"]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["charts", "summary.json"]


def test_a_failure_keeps_the_previous_analysis(
    demo_analysis: analysis.Summary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "analysis"
    write_analysis(demo_analysis, target, tables=("csv",))
    before = {p.name: p.read_bytes() for p in (target / "csv").iterdir()}

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs, "_write_xlsx", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_analysis(demo_analysis, target)
    assert {p.name: p.read_bytes() for p in (target / "csv").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis"]  # no scratch left behind


def test_format_lists() -> None:
    assert parse_formats("png, SVG", ("png", "svg"), "--charts") == ("png", "svg")
    assert parse_formats("none", ("png", "svg"), "--charts") == ()
    assert parse_formats("png,png", ("png", "svg"), "--charts") == ("png",)
    with pytest.raises(
        InnostudyError, match=r"^--charts: unknown format 'jpg' \(choose from png, svg\)$"
    ):
        parse_formats("jpg", ("png", "svg"), "--charts")


def _hostile_summary() -> analysis.Summary:
    import polars as pl

    choice = pl.Enum(["=1+1", "plain"])
    table = pl.DataFrame(
        {
            "label": ["=HYPERLINK(1)", "- a bullet", None],
            "choice": pl.Series(["=1+1", "plain", "plain"], dtype=choice),
            "n": [-3, 2, 1],
        }
    )
    return analysis.Summary("s", False, "2026-01-01T00:00:00", 3, {}, {}, {}, {"questions": table})


@pytest.mark.parametrize(("keep", "prefix"), [(False, "'"), (True, "")])
def test_table_csvs_neutralise_formulas_and_xlsx_cells_stay_text(
    tmp_path: Path, keep: bool, prefix: str
) -> None:
    import csv

    from openpyxl import load_workbook

    write_analysis(_hostile_summary(), tmp_path / "a", tables=("csv", "xlsx"), keep_formulas=keep)
    with (tmp_path / "a" / "csv" / "questions.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["label"] for r in rows] == [prefix + "=HYPERLINK(1)", prefix + "- a bullet", ""]
    assert [r["choice"] for r in rows] == [prefix + "=1+1", "plain", "plain"]
    assert [r["n"] for r in rows] == ["-3", "2", "1"]
    book = load_workbook(tmp_path / "a" / "tables.xlsx")
    cells = [c for row in book["questions"].iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert [c.data_type for c in cells] == ["s"]
