"""The handle on one study: its folder, settings and database, and units of work on it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from innostudy.config import Settings, load_settings
from innostudy.definitions.names import definition_files
from innostudy.storage.engine import IMMEDIATE, check_connection, make_engine
from innostudy.storage.study_folder import FILES_DIR, STUDY_DB, STUDY_TOML, locate_study
from innostudy.storage.upgrade import SchemaState, prepare_schema


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
        self._write_sessions = sessionmaker(
            engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False
        )
        self._write_lock = threading.Lock()
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
        return cls(root, settings, engine, schema)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed if the block finishes, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        """One transaction that reads and then writes, safe against a concurrent twin.

        On SQLite it begins with ``BEGIN IMMEDIATE`` (the write lock is taken before the
        first read), and writers in this process queue on a lock instead of spinning in
        SQLite's busy handler, whose back-off sleeps would show as latency spikes. On
        PostgreSQL it is an ordinary transaction: lock the rows you read with
        ``with_for_update()``.
        """
        if not self.is_sqlite:
            with self.session() as session:
                yield session
            return
        with self._write_lock, self._write_sessions() as session, session.begin():
            yield session

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
