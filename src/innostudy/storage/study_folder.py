"""Where a study lives on disk: ``study.toml``, ``study.db``, ``files/`` and the data files.

Creating one (and what happens to what was there) is ``storage/replacement.py``.
"""

from __future__ import annotations

import os
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
