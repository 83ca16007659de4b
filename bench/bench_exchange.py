"""REFI-QDA exchange speed: export and import of the demo study and of a larger project.

Prints one line per figure. The larger project is synthetic, made here: SOURCES sources of
TURNS speaker turns each, with two codings (two coders, overlapping) per turn, so import
has to cut and map about SOURCES x TURNS x 2 selections.

    .venv/bin/python bench/bench_exchange.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from innostudy.demo.build import build_demo
from innostudy.exchange.refi.exporting import export_qdpx
from innostudy.exchange.refi.from_study import ExportOptions
from innostudy.exchange.refi.project import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
)
from innostudy.exchange.refi.project_qdpx import write_qdpx
from innostudy.exchange.refi.seeding import init_study_from
from innostudy.exchange.refi.sourcetext import Turn, render_source
from innostudy.storage.store import StudyStore

SOURCES = 40
TURNS = 250
RUNS = 3


def timed(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def show(label: str, times: list[float]) -> None:
    shown = ", ".join(f"{t:.2f}" for t in times)
    print(f"{label}: median {statistics.median(times):.2f} s ({shown})", flush=True)


def large_project() -> RefiProject:
    def guid() -> str:
        return str(uuid.uuid4())

    users = [RefiUser(guid(), "coder-a"), RefiUser(guid(), "coder-b")]
    codes = [
        RefiCode(
            guid(), f"Area {a}", children=[RefiCode(guid(), f"Code {a}.{c}") for c in range(6)]
        )
        for a in range(5)
    ]
    leaves = [child for code in codes for child in code.children]
    project = RefiProject(
        name="Synthetic benchmark project", origin="bench", users=users, codes=codes
    )
    sentence = (
        "We tried the new process for a year and the queue shrank by a third, café 😀 included. "
    )
    for s in range(SOURCES):
        turns = [Turn(f"P{(s * 7 + t) % 12:02d}", sentence * 3) for t in range(TURNS)]
        rendered = render_source(turns)
        source = RefiSource(guid(), f"Interview {s + 1}", rendered.text, path=None)
        for t, start in enumerate(rendered.starts):
            for k, (lo, hi) in enumerate(((0, 60), (30, 120))):
                code = leaves[(s + t + k) % len(leaves)]
                source.selections.append(
                    RefiSelection(
                        guid(),
                        start + lo,
                        start + hi,
                        users[k].guid,
                        codings=[RefiCoding(guid(), code.guid, users[k].guid)],
                    )
                )
        source.path = f"internal://{source.guid}.txt"
        project.sources.append(source)
    project.cases = [RefiCase(guid(), f"P{p:02d}") for p in range(12)]
    return project


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        demo = build_demo(root / "demo")
        print(f"demo build (includes its own export): {time.perf_counter() - start:.2f} s")
        with StudyStore.open(demo.folder) as store:
            options = ExportOptions(survey_variables=("cost_band", "overall_success"))
            show(
                "demo export qdpx (568 turns, 357 codings)",
                timed(lambda: export_qdpx(store, root / "demo.qdpx", options, force=True)),
            )
        counter = iter(range(100))
        show(
            "demo import: init --from demo.qdpx",
            timed(lambda: init_study_from(root / f"copy{next(counter)}", root / "demo.qdpx")),
        )

        project = large_project()
        selections = sum(len(s.selections) for s in project.sources)
        write_qdpx(project, root / "large.qdpx")
        size = (root / "large.qdpx").stat().st_size / 1024 / 1024
        label = f"{SOURCES} sources x {TURNS} turns, {selections} selections, {size:.1f} MiB"
        show(
            f"large import ({label})",
            timed(
                lambda: init_study_from(root / f"large{next(counter)}", root / "large.qdpx"), runs=1
            ),
        )
        with StudyStore.open(root / f"large{next(counter) - 1}") as store:
            show(
                "large export",
                timed(lambda: export_qdpx(store, root / "large-out.qdpx", force=True), runs=1),
            )


if __name__ == "__main__":
    main()
