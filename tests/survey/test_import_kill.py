"""A survey import killed with ``kill -9`` at any moment leaves the study as it was.

The import runs as its own process (the real CLI, with worker processes and, on SQLite,
the rollback journal of a bulk load) and is killed at fractions of the time a whole
import takes, from the first blocks to the commit. After each kill the study must hold
exactly what it held before, pass SQLite's integrity check, have no worker left
running, and take the same import again.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from tests.survey.conftest import fixture, snapshot, use_fixture_instrument
from tests.survey.real_world import write_csv

RUN = """
import sys
from innostudy.survey.importing import parallel
parallel.MIN_BYTES = 0  # workers for a file of a few megabytes, as for a large one
parallel.BLOCK_BYTES = 1 << 16
from innostudy.cli.main import run
sys.argv = ["innostudy", *sys.argv[1:]]
run()
"""
FRACTIONS = (0.03, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95)


def big_file(path: Path, rows: int) -> Path:
    header = ["organisation", "organisation_type", "title", "summary", "category", "cost"]
    header += ["origin", "impacts/service", "impacts/costs", "overall", "completed"]
    body = [
        [
            f"Org {n:06d}",
            "ndpb",
            f"Idea {n}",
            "A long description. " * 8,
            "it",
            "under_100k",
            "ministers;users",
            "high",
            "low",
            "moderate",
            "2024-03-25",
        ]
        for n in range(rows)
    ]
    return write_csv(path, [header, *body])


def start(study: Path, path: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {"INNOSTUDY_IMPORT_WORKERS": "2"}
    command = [sys.executable, "-c", RUN, "--study", str(study), "survey", "import", str(path)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in task.read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def integrity(study: Path) -> str:
    with StudyStore.open(study) as store, store.engine.connect() as conn:
        if not store.is_sqlite:
            return "ok"
        return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())


def kill_at_every_stage(fresh: Callable[[], Path], path: Path) -> None:
    """Kill an import of ``path`` into a fresh study at each fraction of its whole time."""
    timing = fresh()
    started = time.perf_counter()
    assert start(timing, path).wait(timeout=600) == 0
    duration = time.perf_counter() - started
    complete = len(snapshot(timing)["response"])
    untouched = 0
    for fraction in FRACTIONS:
        study = fresh()
        before = snapshot(study)
        process = start(study, path)
        time.sleep(duration * fraction)
        workers = children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(w) for w in workers), f"workers left running at {fraction}"
        after = snapshot(study)
        assert integrity(study) == "ok"
        if after == before:
            untouched += 1
            assert start(study, path).wait(timeout=600) == 0  # the same import still works
            assert len(snapshot(study)["response"]) == complete
        else:  # killed after the commit (the machine ran faster than when timed): all in
            assert len(after["response"]) == complete, f"half an import at {fraction}"
    # every kill left all or nothing; on a busy machine the late ones may come after the
    # commit, but most must land inside the import for the test to mean something
    assert untouched >= 3


@pytest.mark.slow
def test_a_killed_import_leaves_a_sqlite_study_as_it_was(pilot_study: Path, tmp_path: Path) -> None:
    assert start(pilot_study, fixture("generic_good.csv")).wait(timeout=120) == 0
    copies = iter(range(100))

    def fresh() -> Path:
        folder = tmp_path / f"copy-{next(copies)}"
        shutil.copytree(pilot_study, folder)
        return folder

    kill_at_every_stage(fresh, big_file(tmp_path / "big.csv", 12_000))
    leftovers = list(tmp_path.glob("copy-*/study.db-journal"))
    assert leftovers == []  # every hot journal was rolled back when the study was opened


@pytest.mark.slow
@pytest.mark.postgres
def test_a_killed_import_leaves_a_postgresql_study_as_it_was(
    tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies = iter(range(100))

    def fresh() -> Path:
        url = next(pg_urls)
        study = init_study(tmp_path / f"pg-{next(copies)}", database_url=url)
        use_fixture_instrument(study, fixture("pilot_instrument.yaml"))
        assert start(study, fixture("generic_good.csv")).wait(timeout=120) == 0
        return study

    pg_urls = _databases(request, monkeypatch, len(FRACTIONS) + 1)
    kill_at_every_stage(fresh, big_file(tmp_path / "big.csv", 12_000))


def _databases(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, n: int
) -> Iterator[str]:
    """``n`` new PostgreSQL databases (the conftest's own fixture gives one per test)."""
    from tests.conftest import _admin_engine, drop_database, password_in_environment

    admin = _admin_engine()
    password_in_environment(monkeypatch, admin)
    names = [f"innostudy_test_{uuid.uuid4().hex[:12]}" for _ in range(n)]

    def drop() -> None:
        for name in names:
            drop_database(admin, name)
        admin.dispose()

    request.addfinalizer(drop)
    with admin.connect() as conn:
        for name in names:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return iter(
        admin.url.set(database=name).render_as_string(hide_password=False) for name in names
    )
