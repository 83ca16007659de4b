"""innostudy: a mixed-methods study of innovation in public organisations, end to end.

The Python API comes first; the CLI and the web app are thin layers over it::

    import innostudy

    store = innostudy.open_study("demo-study")
    with store.session() as s:
        ...
"""

from __future__ import annotations

from pathlib import Path

from innostudy.errors import (
    ConfigError,
    ConflictError,
    DatabaseError,
    InnostudyError,
    InputError,
    InputErrors,
    PersonalDataError,
    StudyError,
)
from innostudy.storage.store import StudyStore

__version__ = "0.1.0"


def open_study(folder: str | Path | None = None, *, database_url: str | None = None) -> StudyStore:
    """Open a study folder (default: $INNOSTUDY_STUDY or the current folder).

    :param folder: the study folder, holding study.toml
    :param database_url: use this database instead of the one the study names
    """
    return StudyStore.open(Path(folder) if folder is not None else None, database_url=database_url)


def init_study(folder: str | Path, *, force: bool = False, database_url: str | None = None) -> Path:
    """Create a study from the embedded default and return its folder.

    :param folder: a new or empty folder
    :param force: replace the folder (and empty the database) if it is not empty
    :param database_url: keep the study's data in this database instead of study.db
    """
    from innostudy.studies import init_study as _init

    return _init(Path(folder), force=force, database_url=database_url)


def build_demo(
    folder: str | Path = "demo-study", *, force: bool = False, database_url: str | None = None
) -> Path:
    """Build the synthetic demo study, run every stage, and return the report's path."""
    from innostudy.demo.build import build_demo as _build

    return _build(Path(folder), force=force, database_url=database_url).report


__all__ = [
    "ConfigError",
    "ConflictError",
    "DatabaseError",
    "InnostudyError",
    "InputError",
    "InputErrors",
    "PersonalDataError",
    "StudyError",
    "StudyStore",
    "__version__",
    "build_demo",
    "init_study",
    "open_study",
]
