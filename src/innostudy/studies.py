"""Create and open studies: the default study's data files, settings and database, together.

``init_study`` builds the whole study in a scratch folder and moves it into place only
when everything worked, so a failed init leaves nothing behind.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import sqlalchemy as sa

from innostudy.config import Settings, render_settings
from innostudy.model import Base, StudyInfo
from innostudy.storage.engine import make_engine, writable_url
from innostudy.storage.replacement import check_external_database, creating, plan_creation
from innostudy.storage.store import StudyStore
from innostudy.storage.study_folder import FILES_DIR, STUDY_TOML

DEFAULT_FILES = ("instrument.yaml", "codebook.yaml", "group_types.yaml", "areas.yaml")


def default_file(name: str) -> Path:
    """Path of a file of the embedded default study (package data)."""
    return Path(str(resources.files("innostudy").joinpath("defaults", name)))


def init_files() -> dict[str, bytes]:
    """The data files init writes, by name, with their content (to tell edits apart)."""
    return {name: default_file(name).read_bytes() for name in DEFAULT_FILES}


def _empty_database(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()


@contextmanager
def new_study(
    folder: Path,
    *,
    force: bool = False,
    confirm: str | None = None,
    database_url: str | None = None,
    settings: Settings | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> Iterator[StudyStore]:
    """Yield an open, initialised study being built; it appears at ``folder`` on success.

    Used by ``init`` and ``demo``: whatever the block adds is part of the same
    all-or-nothing creation. What may happen to what is already at ``folder`` is decided
    first (``storage.replacement``: a study there is kept whole as a dated backup, and
    one holding data also needs ``confirm`` = the folder's name). With an external
    database, a failure empties it again. ``say`` hears where the old study went.
    """
    settings = settings or Settings()
    plan = plan_creation(folder, init_files(), force=force, confirm=confirm)
    if database_url:
        check_external_database(database_url, force=force)
        # study.toml and the study row name the database, never its password
        settings = settings.with_values(database__url=writable_url(database_url))
    with creating(plan) as scratch:
        if database_url:
            _empty_database(database_url)
        try:
            store = _populate(scratch, settings, database_url)
            try:
                yield store
            finally:
                store.close()
        except BaseException:
            if database_url:
                _empty_database(database_url)
            raise
    for line in plan.outcome():
        say(line)


def _populate(scratch: Path, settings: Settings, database_url: str | None) -> StudyStore:
    from innostudy.coding.codebook import load_codebook, sync_codebook
    from innostudy.fieldwork.group_types import load_group_types, sync_group_types

    for name in DEFAULT_FILES:
        shutil.copyfile(default_file(name), scratch / name)
    (scratch / FILES_DIR).mkdir()
    (scratch / STUDY_TOML).write_text(render_settings(settings), encoding="utf-8")
    store = StudyStore.connect(scratch, settings, database_url=database_url)
    group_types = load_group_types(store.setting_path("fieldwork.group_types"))
    codebook = load_codebook(store.setting_path("coding.codebook"))
    with store.session() as s:
        s.add(
            StudyInfo(
                name=settings.study_name, synthetic=settings.synthetic, settings=settings.as_dict()
            )
        )
        sync_group_types(s, group_types)
        sync_codebook(s, codebook)
    return store


def init_study(
    folder: Path,
    *,
    force: bool = False,
    confirm: str | None = None,
    database_url: str | None = None,
    settings: Settings | None = None,
    then: Callable[[StudyStore], None] | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> Path:
    """Create a study from the embedded default; ``then`` may add to it before it appears."""
    with new_study(
        folder,
        force=force,
        confirm=confirm,
        database_url=database_url,
        settings=settings,
        say=say,
    ) as store:
        if then is not None:
            then(store)
    return folder.resolve()
