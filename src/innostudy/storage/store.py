"""The handle on one study: its folder, settings and database, and units of work on it."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from innostudy.config import Settings, load_settings
from innostudy.definitions.names import definition_files
from innostudy.storage.credentials import stored_password
from innostudy.storage.db_errors import database_errors, is_busy, is_transient
from innostudy.storage.engine import EXCLUSIVE, IMMEDIATE, SHARED, check_connection, make_engine
from innostudy.storage.study_folder import FILES_DIR, STUDY_DB, STUDY_TOML, locate_study
from innostudy.storage.upgrade import SchemaState, prepare_schema

T = TypeVar("T")
ATTEMPTS = 3  # a unit of work that crossed another writer is run at most this often


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


class StudyStore:
    """An open study. Use ``with store.session() as s:`` for one all-or-nothing unit of work."""

    def __init__(
        self, folder: Path, settings: Settings, engine: Engine, schema: SchemaState
    ) -> None:
        self.folder = folder
        self.settings = settings
        self.engine = engine
        self.schema = schema
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = {
            mode: sessionmaker(
                engine.execution_options(**{IMMEDIATE: mode}), expire_on_commit=False
            )
            for mode in (EXCLUSIVE, SHARED)
        }
        self._write_lock = threading.Lock()
        # study.toml still holds the database password (a study made before issue 18)
        self.password_in_settings = False
        # Whether reading a definition first checks the folder's file of it (definitions/):
        # the CLI does, so nobody works from a file the study no longer has; a server not.
        self.check_files = False

    @classmethod
    def open(
        cls, folder: Path | None = None, *, database_url: str | None = None, prepare: bool = True
    ) -> StudyStore:
        """Open the study at ``folder`` (or the one located from --study/env/cwd).

        With ``prepare`` the schema is brought to head on open (policy in storage.upgrade);
        `innostudy db …` opens without it, to inspect or upgrade explicitly.
        """
        root = locate_study(folder)
        settings = load_settings(root / STUDY_TOML)
        return cls.connect(root, settings, database_url=database_url, prepare=prepare)

    @classmethod
    def connect(
        cls,
        root: Path,
        settings: Settings,
        *,
        database_url: str | None = None,
        prepare: bool = True,
    ) -> StudyStore:
        url = database_url or settings.database_url or sqlite_url(root / STUDY_DB)
        engine = make_engine(url)
        check_connection(engine)
        is_sqlite = engine.url.get_backend_name() == "sqlite" and engine.url.database
        sqlite_path = Path(str(engine.url.database)) if is_sqlite else None
        files = definition_files(root, settings)
        try:
            schema = (
                prepare_schema(engine, sqlite_path, files)
                if prepare
                else SchemaState("unchecked", "")
            )
        except BaseException:
            engine.dispose()  # a refused open must not leave a connection behind
            raise
        store = cls(root, settings, engine, schema)
        store.password_in_settings = stored_password(str(settings["database.url"]))
        return store

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed if the block finishes, rolled back if it raises."""
        with database_errors(), self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write_session(self, *, shared: bool = False) -> Iterator[Session]:
        """One transaction that reads and then writes, holding the study's write lock.

        The lock is taken before the first read, so a unit of work never decides on rows
        another writer is changing. On SQLite it is ``BEGIN IMMEDIATE``, and writers in
        this process queue on a lock instead of spinning in SQLite's busy handler, whose
        back-off sleeps would show as latency spikes. On PostgreSQL it is an advisory
        lock with the same effect; ``shared`` lets units that row-lock everything they
        change (a respondent's page locks its organisation) run side by side, while
        every other writer still excludes them. Waiting is bounded (LOCK_WAIT_S) and
        ends in a one-line BusyError.
        """
        with database_errors(), self._raw_write_session(shared=shared) as session:
            yield session

    @contextlib.contextmanager
    def _raw_write_session(self, *, shared: bool) -> Iterator[Session]:
        if not self.is_sqlite:
            sessions = self._write_sessions[SHARED if shared else EXCLUSIVE]
            with sessions() as session, session.begin():
                yield session
            return
        with self._write_lock, self._write_sessions[EXCLUSIVE]() as session, session.begin():
            yield session

    def write(self, work: Callable[[Session], T], *, shared: bool = False) -> T:
        """Run ``work`` in a write session; rerun it (at most ATTEMPTS times) if it crossed
        another writer (serialization failure, deadlock, a concurrent insert of the same
        key). ``work`` must do nothing but database work, since it may run again."""
        with database_errors():
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    with self._raw_write_session(shared=shared) as session:
                        return work(session)
                except DBAPIError as exc:
                    if not is_transient(exc) or attempt == ATTEMPTS:
                        raise
                    time.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def write_after_reading(self, work: Callable[[Session], T]) -> T:
        """Run a long read-then-write ``work`` (a model run) without holding the write lock
        for all of it, with the outcome of running it under the lock.

        SQLite: a first run in an ordinary transaction commits unless another writer got
        in between its reads and its writes (SQLite refuses the write then); the rerun
        holds the lock. PostgreSQL cannot refuse that way across all writers, so the first
        run only prepares (its transaction is rolled back) and the rerun under the lock
        writes. ``work`` must keep what is expensive to recompute (vectors) itself.
        """
        if not self.is_sqlite:
            with database_errors(), self._sessions() as session:
                session.begin()
                try:
                    work(session)
                finally:
                    session.rollback()
            return self.write(work)
        try:
            with self._sessions() as session, session.begin():
                return work(session)
        except DBAPIError as exc:
            if not is_busy(exc):
                with database_errors():
                    raise
        return self.write(work)

    def path(self, *parts: str) -> Path:
        return self.folder.joinpath(*parts)

    def setting_path(self, name: str) -> Path:
        """A file named by a setting (e.g. survey.instrument), resolved in the study folder."""
        return self.folder / str(self.settings[name])

    @property
    def files_dir(self) -> Path:
        return self.folder / FILES_DIR

    @property
    def is_sqlite(self) -> bool:
        return self.engine.url.get_backend_name() == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> StudyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
