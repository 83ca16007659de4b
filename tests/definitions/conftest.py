"""Studies for the definition tests, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from innostudy.storage.store import StudyStore
from innostudy.studies import init_study


@pytest.fixture
def study(tmp_path: Path, database_url: str) -> Path:
    """A new default study whose database is ``database_url`` (SQLite file or PostgreSQL)."""
    return init_study(tmp_path / "study", database_url=database_url, actor="ana")


@pytest.fixture
def store(study: Path) -> Iterator[StudyStore]:
    with StudyStore.open(study) as opened:
        opened.check_files = True  # as the CLI opens studies
        yield opened


def edit(path: Path, old: str, new: str, count: int = 1) -> str:
    """Replace ``old`` in the file (it must be there) and return the new text."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    text = text.replace(old, new, count)
    path.write_text(text, encoding="utf-8")
    return text
