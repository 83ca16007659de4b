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
