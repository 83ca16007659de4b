"""What keeping definitions in the database costs a command: reading one, checking the
folder's file, and adopting a new revision (issue 18).

Prints one line per figure, CPU time (user + system of this process) per call, median of
RUNS runs of REPEAT calls each, against reading the YAML file directly as innostudy did
before. Uses the default study (instrument of 40 questions) on SQLite; with
INNOSTUDY_BENCH_DATABASE_URL (an empty PostgreSQL database) on that server instead.

    .venv/bin/python bench/bench_definitions.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from innostudy.definitions.adopting import adopt
from innostudy.definitions.folder import inspect
from innostudy.definitions.reading import _cache
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from innostudy.survey.instrument import load_instrument
from innostudy.survey.instrument_definition import INSTRUMENT, study_instrument
from innostudy.web.context import InstrumentCache

RUNS = 5
REPEAT = 50


def cpu_ms_per_call(action: Callable[[], object], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(RUNS):
        start = time.process_time()
        for _ in range(repeat):
            action()
        times.append((time.process_time() - start) / repeat * 1000)
    return statistics.median(times)


def show(label: str, ms: float) -> None:
    print(f"{label}: {ms:.2f} ms CPU per call", flush=True)


def main() -> None:
    url = os.environ.get("INNOSTUDY_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        folder = init_study(Path(tmp) / "s", database_url=url)
        path = folder / "instrument.yaml"
        with StudyStore.open(folder) as store:
            print(f"backend: {store.engine.url.get_backend_name()}", flush=True)
            show(
                "before issue 18: load_instrument(instrument.yaml)",
                cpu_ms_per_call(lambda: load_instrument(path)),
            )

            def uncached() -> object:
                _cache.clear()
                return study_instrument(store)

            store.check_files = True
            show("CLI read, file in step, parsed (one per command)", cpu_ms_per_call(uncached))
            show(
                "CLI read, file in step, parse cached",
                cpu_ms_per_call(lambda: study_instrument(store)),
            )
            store.check_files = False
            show(
                "server read (no file check), parse cached",
                cpu_ms_per_call(lambda: study_instrument(store)),
            )
            cache = InstrumentCache(store)
            show("web request: InstrumentCache.get()", cpu_ms_per_call(cache.get, 2000))
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("Was there a business case?", "Business case?"), "utf-8")
            show(
                "status of an edited file (parse both, diff)",
                cpu_ms_per_call(lambda: inspect(store, "instrument")),
            )
            counter = iter(range(10**6))

            def new_revision() -> object:
                changed = text.replace("Was there a business case?", f"Case {next(counter)}?")
                with store.write_session() as s:
                    return adopt(s, INSTRUMENT, changed, source="bench", actor="bench", force=True)

            show("adopt a changed instrument (new revision)", cpu_ms_per_call(new_revision, 10))


if __name__ == "__main__":
    main()
