from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.config import Settings
from innostudy.storage.store import StudyStore


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = StudyStore.connect(tmp_path, Settings())
    yield s
    s.close()


def _can_take_write_lock(path: Path) -> bool:
    raw = sqlite3.connect(str(path), timeout=0)
    try:
        raw.execute("BEGIN IMMEDIATE")
        raw.rollback()
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        raw.close()


def test_write_session_holds_the_write_lock_from_its_first_read(
    store: StudyStore, tmp_path: Path
) -> None:
    with store.write_session() as s:
        s.execute(sa.text("SELECT 1"))
        assert not _can_take_write_lock(tmp_path / "study.db")
    assert _can_take_write_lock(tmp_path / "study.db")


def test_an_ordinary_session_does_not_lock_until_it_writes(
    store: StudyStore, tmp_path: Path
) -> None:
    with store.session() as s:
        s.execute(sa.text("SELECT 1"))
        assert _can_take_write_lock(tmp_path / "study.db")


def test_write_session_rolls_back_on_error(store: StudyStore) -> None:
    with store.session() as s:
        s.execute(sa.text("CREATE TABLE t (v INTEGER)"))

    def insert_then_fail() -> None:
        with store.write_session() as s:
            s.execute(sa.text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        insert_then_fail()
    with store.session() as s:
        assert s.execute(sa.text("SELECT count(*) FROM t")).scalar() == 0
