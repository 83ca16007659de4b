"""Where a study lives on disk: ``study.toml``, ``study.db``, ``files/`` and the data files.

Creating a study is atomic: everything is built in a hidden sibling folder and renamed
into place at the end, so a failure never leaves half a study behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from innostudy.config import STUDY_ENV
from innostudy.errors import StudyError

STUDY_TOML = "study.toml"
STUDY_DB = "study.db"
FILES_DIR = "files"


def locate_study(explicit: Path | None) -> Path:
    """The study named by --study, else $INNOSTUDY_STUDY, else the current folder."""
    if explicit is not None:
        folder, how = explicit, "--study"
    elif os.environ.get(STUDY_ENV):
        folder, how = Path(os.environ[STUDY_ENV]), STUDY_ENV
    else:
        folder, how = Path.cwd(), "the current folder"
    folder = folder.expanduser()
    if not (folder / STUDY_TOML).is_file():
        raise StudyError(
            f"{folder}: no {STUDY_TOML} here ({how}); create a study with `innostudy init DIR` "
            "or name one with --study DIR"
        )
    return folder.resolve()


def check_new_folder(folder: Path, *, force: bool) -> None:
    """A study is only created in a new or empty folder, unless --force replaces it."""
    if folder.exists() and not folder.is_dir():
        raise StudyError(f"{folder}: exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise StudyError(
            f"{folder}: folder is not empty; choose a new folder or pass --force to replace it"
        )


@contextlib.contextmanager
def building(folder: Path, *, force: bool) -> Iterator[Path]:
    """Yield a scratch folder; on success it replaces ``folder``, on failure it vanishes."""
    check_new_folder(folder, force=force)
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}.building-", dir=folder.parent))
    try:
        yield scratch
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    _swap_into_place(scratch, folder)


def _swap_into_place(scratch: Path, folder: Path) -> None:
    old: Path | None = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        folder.rename(old)
    scratch.rename(folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
