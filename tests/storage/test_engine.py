from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.errors import DatabaseError
from innostudy.storage.engine import check_connection, display_url, normalise_url


def test_sqlite_connections_get_the_pragmas(
    tmp_path: Path, engines: Callable[[str], sa.Engine]
) -> None:
    engine = engines(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_savepoints_work_on_sqlite(tmp_path: Path, engines: Callable[[str], sa.Engine]) -> None:
    engine = engines(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (v INTEGER)"))
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        nested = conn.begin_nested()
        conn.execute(sa.text("INSERT INTO t VALUES (2)"))
        nested.rollback()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT v FROM t")).scalars().all() == [1]


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_postgres_urls_use_psycopg(url: str) -> None:
    assert normalise_url(url).drivername == "postgresql+psycopg"


def test_other_databases_are_refused() -> None:
    with pytest.raises(DatabaseError, match="unsupported database 'mysql'"):
        normalise_url("mysql://u@h/db")


def test_garbage_is_not_a_url() -> None:
    with pytest.raises(DatabaseError, match="not a database URL"):
        normalise_url("not a url")


def test_passwords_are_never_displayed() -> None:
    assert "secret" not in display_url("postgresql://u:secret@h/db")


def test_unreachable_server_is_one_readable_line(engines: Callable[[str], sa.Engine]) -> None:
    engine = engines("postgresql://nobody:secret@127.0.0.1:1/none")
    with pytest.raises(DatabaseError) as info:
        check_connection(engine)
    message = str(info.value)
    assert message.startswith(
        "cannot connect to database postgresql+psycopg://nobody:***@127.0.0.1:1/none"
    )
    assert "\n" not in message and "secret" not in message
