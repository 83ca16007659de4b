"""Create and open studies: the default study's data files, settings and database, together.

``init_study`` builds the whole study in a scratch folder and moves it into place only
when everything worked, so a failed init leaves nothing behind. The default study's
definitions (instrument, codebook, group types, areas) become revision 1 of each in the
database, and the folder gets their files (definitions/).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from innostudy.config import Settings, render_settings
from innostudy.errors import DatabaseError
from innostudy.model import Base, StudyInfo
from innostudy.storage.engine import check_connection, display_url, make_engine, writable_url
from innostudy.storage.replacement import check_external_database, creating, plan_creation
from innostudy.storage.store import StudyStore
from innostudy.storage.study_folder import FILES_DIR, STUDY_TOML
from innostudy.textfiles import read_text

if TYPE_CHECKING:
    from innostudy.definitions.kind import Kind

DEFAULT_FILES = ("instrument.yaml", "codebook.yaml", "group_types.yaml", "areas.yaml")
DEFAULT_SOURCE = "the embedded default study"


def definition_kinds() -> dict[str, Kind[Any]]:
    """Every definition a study has, by name, with its stage's reader (in pipeline order)."""
    from innostudy.areas import AREAS
    from innostudy.coding.codebook_definition import CODEBOOK
    from innostudy.fieldwork.group_types import GROUP_TYPES
    from innostudy.reporting.outline import OUTLINE
    from innostudy.survey.instrument_definition import INSTRUMENT

    return {k.name: k for k in (INSTRUMENT, GROUP_TYPES, AREAS, CODEBOOK, OUTLINE)}


def default_file(name: str) -> Path:
    """Path of a file of the embedded default study (package data)."""
    return Path(str(resources.files("innostudy").joinpath("defaults", name)))


def init_files() -> dict[str, bytes]:
    """The data files init writes, by name, with their content (to tell edits apart)."""
    from innostudy.definitions.text import body_of, stamped

    # As init writes them: revision 1 of each default, stamped (definitions/views.py).
    return {
        name: stamped(
            body_of(read_text(default_file(name)).text), name.removesuffix(".yaml"), 1, name
        ).encode("utf-8")
        for name in DEFAULT_FILES
    }


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
    actor: str = "innostudy",
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
            store = _populate(scratch, settings, database_url, actor)
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


def _populate(
    scratch: Path, settings: Settings, database_url: str | None, actor: str
) -> StudyStore:
    from innostudy.definitions.adopting import adopt
    from innostudy.definitions.views import write_file

    (scratch / FILES_DIR).mkdir()
    (scratch / STUDY_TOML).write_text(render_settings(settings), encoding="utf-8")
    store = StudyStore.connect(scratch, settings, database_url=database_url)
    kinds = definition_kinds()
    with store.write_session() as s:
        s.add(
            StudyInfo(
                name=settings.study_name, synthetic=settings.synthetic, settings=settings.as_dict()
            )
        )
        revisions = [
            adopt(
                s,
                kinds[name.removesuffix(".yaml")],
                read_text(default_file(name)).text,
                source=DEFAULT_SOURCE,
                actor=actor,
            ).revision
            for name in DEFAULT_FILES
        ]
    for row in revisions:
        write_file(scratch, settings, row)
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
    actor: str = "innostudy",
) -> Path:
    """Create a study from the embedded default; ``then`` may add to it before it appears."""
    with new_study(
        folder,
        force=force,
        confirm=confirm,
        database_url=database_url,
        settings=settings,
        say=say,
        actor=actor,
    ) as store:
        if then is not None:
            then(store)
    return folder.resolve()


def attach_study(folder: Path, database_url: str, *, force: bool = False) -> tuple[Path, list[str]]:
    """Make ``folder`` a working folder of the study already in ``database_url``.

    One database, many folders: a colleague's folder gets the settings recorded when the
    study was created (with this database URL) and every definition's file from the
    database, so it starts in step. Returns the folder and the definitions written.
    """
    from innostudy.config import SETTINGS_BY_NAME
    from innostudy.definitions.folder import stored_names, write_files

    engine = make_engine(database_url)
    try:
        check_connection(engine)
        if not sa.inspect(engine).get_table_names():
            raise DatabaseError(
                f"{display_url(engine.url)} holds no study; create one there with "
                "`innostudy --database-url URL init DIR`"
            )
    finally:
        engine.dispose()
    plan = plan_creation(folder, init_files(), force=force, confirm=None)
    with creating(plan) as scratch:
        store = StudyStore.connect(scratch, Settings(), database_url=database_url)
        try:
            with store.session() as s:
                info = s.scalar(sa.select(StudyInfo).order_by(StudyInfo.id).limit(1))
            recorded = dict(info.settings) if info is not None else {}
            kept = {k: v for k, v in recorded.items() if k in SETTINGS_BY_NAME}
            store.settings = Settings(kept).with_values(database__url=database_url)
            (scratch / FILES_DIR).mkdir()
            (scratch / STUDY_TOML).write_text(render_settings(store.settings), encoding="utf-8")
            names = stored_names(store)
            write_files(store, names)
        finally:
            store.close()
    return folder.resolve(), names
