"""Shared fixtures: real databases (a fresh SQLite file, or a fresh PostgreSQL database),
the demo study built once per run, and an in-process runner for the real CLI entry point."""

from __future__ import annotations

import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.demo.build import DemoSummary, build_demo
from innostudy.storage.engine import normalise_url

PG_ENV = "INNOSTUDY_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's study or database settings."""
    monkeypatch.delenv("INNOSTUDY_STUDY", raising=False)
    monkeypatch.delenv("INNOSTUDY_DATABASE_URL", raising=False)
    for name in ("INNOSTUDY_DATABASE_PASSWORD", "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/innostudy-tests/pgpass")  # not ~/.pgpass
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("COLUMNS", "120")


def _admin_engine() -> sa.Engine:
    admin = os.environ.get(PG_ENV)
    if not admin:
        pytest.skip(f"{PG_ENV} is not set (CI always sets it)")
    return sa.create_engine(normalise_url(admin), isolation_level="AUTOCOMMIT")


def password_in_environment(monkeypatch: pytest.MonkeyPatch, admin: sa.Engine) -> None:
    """Studies never write the password down: the test's environment carries it, as a
    team member's would (PGPASSWORD; subprocesses inherit it)."""
    if admin.url.password is not None:
        monkeypatch.setenv("PGPASSWORD", str(admin.url.password))


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A brand-new, empty PostgreSQL database for one test, dropped afterwards."""
    admin = _admin_engine()
    password_in_environment(monkeypatch, admin)
    name = f"innostudy_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        drop_database(admin, name)
        admin.dispose()


def drop_database(admin: sa.Engine, name: str, attempts: int = 40) -> None:
    """Drop a test database even while an autovacuum worker is in it.

    PostgreSQL 15 refuses ``WITH (FORCE)`` to a role without ``pg_signal_backend`` when the
    other process is an autovacuum worker (it has no role). ``.ci/run`` grants that role;
    a machine set up by hand may not have, so a refusal is retried until the worker leaves.
    """
    for attempt in range(attempts):
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except sa.exc.DBAPIError as error:
            if attempt == attempts - 1 or "pg_signal_backend" not in str(error.orig):
                raise
            time.sleep(0.25)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a fresh SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture(scope="session")
def demo_study(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    """The demo, built once per run; tests must not change it (use ``demo_copy``)."""
    return build_demo(tmp_path_factory.mktemp("demo") / "demo-study")


@pytest.fixture
def demo_copy(demo_study: DemoSummary, tmp_path: Path) -> Path:
    """A private copy of the demo study folder that a test may change."""
    target = tmp_path / "demo-study"
    shutil.copytree(demo_study.folder, target)
    return target


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


Cli = Callable[..., CliResult]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run the real console-script entry point in-process and capture what it prints."""
    from innostudy.cli.main import run

    def invoke(*args: object) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["innostudy", *map(str, args)])
        code = 0
        try:
            run()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return invoke


@pytest.fixture
def engines() -> Iterator[Callable[[str], sa.Engine]]:
    """Make engines with the project's settings; all are disposed when the test ends."""
    from innostudy.storage.engine import make_engine

    made: list[sa.Engine] = []

    def make(url: str) -> sa.Engine:
        made.append(make_engine(url))
        return made[-1]

    yield make
    for engine in made:
        engine.dispose()
