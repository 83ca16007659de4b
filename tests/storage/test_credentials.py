"""The database password is never written: not to study.toml, not to the database, not to
any message; it comes from the environment, ~/.pgpass or a service file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from innostudy.errors import DatabaseError, InputError
from innostudy.model import StudyInfo
from innostudy.storage.credentials import mask_password, without_password
from innostudy.storage.engine import check_connection, display_url, make_engine, normalise_url
from innostudy.storage.store import StudyStore
from innostudy.storage.stored_password import add_to_pgpass, pgpass_line
from tests.conftest import Cli

SECRET = "s3cr3t-Pa55"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "postgresql://ana:s3cr3t-Pa55@db.example.org/study",
            "postgresql://ana:***@db.example.org/study",
        ),
        ("postgres://ana:p@ss:w@rd@host:5432/x", "postgres://ana:***@host:5432/x"),
        (
            "host=db user=ana password=s3cr3t-Pa55 dbname=x",
            "host=db user=ana password=*** dbname=x",
        ),
        (
            "postgresql://ana@h/x?password=s3cr3t-Pa55&sslmode=require",
            "postgresql://ana@h/x?password=***&sslmode=require",
        ),
        ("postgresql://ana@h/x", "postgresql://ana@h/x"),
    ],
)
def test_passwords_are_masked_wherever_they_appear(text: str, masked: str) -> None:
    assert mask_password(text) == masked


def test_a_url_that_cannot_be_parsed_is_never_echoed_with_its_password() -> None:
    with pytest.raises(DatabaseError) as info:
        normalise_url(f"postgresql://ana:{SECRET}@[::1/study")
    assert SECRET not in str(info.value)
    assert str(info.value).startswith("not a database URL: 'postgresql://ana:***@[::1/study'")


def test_a_port_that_is_not_a_number_is_one_line(cli: Cli, tmp_path: Path) -> None:
    url = f"postgresql://ana:{SECRET}@db.example.org:fivefourthreetwo/study"
    result = cli("--database-url", url, "init", tmp_path / "s")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: not a database URL: 'postgresql://ana:***@db.example.org:fivefourthreetwo/study' "
        "(the port must be a number, e.g. postgresql://user@host:5432/db)\n"
    )
    assert not (tmp_path / "s").exists()


def test_a_stored_url_keeps_everything_but_the_password() -> None:
    url = make_url(f"postgresql://ana:{SECRET}@h:5433/x?sslmode=require&password={SECRET}")
    assert (
        without_password(url).render_as_string(hide_password=False)
        == "postgresql://ana@h:5433/x?sslmode=require"
    )


def test_query_passwords_are_not_displayed() -> None:
    shown = display_url(f"postgresql://ana@h/x?password={SECRET}")
    assert SECRET not in shown


def test_the_pgpass_entry_escapes_colons_and_backslashes() -> None:
    url = make_url("postgresql://ana@db.example.org/study")
    assert pgpass_line(url, "a:b\\c") == "db.example.org:5432:study:ana:a\\:b\\\\c"


def test_a_pgpass_entry_is_added_once_with_mode_600(tmp_path: Path) -> None:
    path = tmp_path / "pgpass"
    path.write_text("other:5432:*:bob:x\n", encoding="utf-8")
    url = make_url("postgresql://ana@h:5433/study")
    assert add_to_pgpass(path, url, SECRET)
    assert not add_to_pgpass(path, url, SECRET)
    assert path.read_text().splitlines() == ["other:5432:*:bob:x", f"h:5433:study:ana:{SECRET}"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(InputError) as info:
        add_to_pgpass(path, url, "different")
    assert (
        str(info.value)
        == f"{path}, line 2: already holds another password for this database and user"
    )


# -- on a real server ----------------------------------------------------------------------


def _parts(pg_url: str) -> tuple[str, str]:
    """The test database's URL without its password, and the password."""
    url = make_url(pg_url)
    bare = without_password(url).render_as_string(hide_password=False)
    assert ":@" not in bare and url.password and f":{url.password}@" not in bare
    return bare, str(url.password)


@pytest.mark.postgres
def test_init_writes_the_url_without_its_password_anywhere(
    pg_url: str, tmp_path: Path, cli: Cli
) -> None:
    bare, password = _parts(pg_url)
    result = cli("--database-url", pg_url, "init", tmp_path / "s")
    assert result.exit_code == 0, result.stderr
    assert "The database password was not written to study.toml" in result.stderr
    toml = (tmp_path / "s" / "study.toml").read_text()
    assert f'url = "{bare}"' in toml
    assert f":{password}@" not in toml
    with StudyStore.open(tmp_path / "s") as store, store.session() as s:
        [settings] = s.scalars(sa.select(StudyInfo.settings)).all()
        assert settings["database.url"] == bare
        assert not store.password_in_settings


@pytest.mark.postgres
@pytest.mark.parametrize(
    "source", ["INNOSTUDY_DATABASE_PASSWORD", "PGPASSWORD", "pgpass", "service"]
)
def test_the_password_comes_from_outside_the_study(
    pg_url: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    bare, password = _parts(pg_url)
    monkeypatch.delenv("PGPASSWORD")
    url = bare
    if source in ("INNOSTUDY_DATABASE_PASSWORD", "PGPASSWORD"):
        monkeypatch.setenv(source, password)
    elif source == "pgpass":
        add_to_pgpass(tmp_path / "pgpass", make_url(bare), password)
        monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    else:
        parsed = make_url(bare)
        (tmp_path / "services.conf").write_text(
            f"[team-study]\nhost={parsed.host}\nport={parsed.port or 5432}\n"
            f"dbname={parsed.database}\nuser={parsed.username}\npassword={password}\n"
        )
        monkeypatch.setenv("PGSERVICEFILE", str(tmp_path / "services.conf"))
        url = "postgresql:///?service=team-study"
    assert cli("--database-url", url, "init", tmp_path / "s").exit_code == 0
    listed = cli("--study", tmp_path / "s", "code", "list")
    assert listed.exit_code == 0, listed.stderr
    assert f":{password}@" not in (tmp_path / "s" / "study.toml").read_text()


@pytest.mark.postgres
def test_without_a_password_the_error_says_where_to_give_it(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare, _ = _parts(pg_url)
    monkeypatch.delenv("PGPASSWORD")
    engine = make_engine(bare)
    with pytest.raises(DatabaseError) as info:
        check_connection(engine)
    engine.dispose()
    message = str(info.value)
    assert message.startswith(f"cannot connect to database {display_url(bare)}")
    assert message.endswith(
        "(give the password through INNOSTUDY_DATABASE_PASSWORD or PGPASSWORD, ~/.pgpass or "
        "a service file; study.toml never holds it: see docs/team.md)"
    )


@pytest.mark.postgres
def test_a_wrong_password_is_never_shown(pg_url: str) -> None:
    bare, _ = _parts(pg_url)
    wrong = make_url(bare).set(password=SECRET).render_as_string(hide_password=False)
    engine = make_engine(wrong)
    with pytest.raises(DatabaseError) as info:
        check_connection(engine)
    engine.dispose()
    assert SECRET not in str(info.value)
    assert "password authentication failed" in str(info.value)


def _old_study(pg_url: str, folder: Path, cli: Cli) -> None:
    """A study as innostudy made them before: the password in study.toml and the study row."""
    bare, _ = _parts(pg_url)
    assert cli("--database-url", pg_url, "init", folder).exit_code == 0
    toml = folder / "study.toml"
    toml.write_text(toml.read_text().replace(f'url = "{bare}"', f'url = "{pg_url}"'))
    os.chmod(toml, 0o644)
    with StudyStore.open(folder) as store, store.session() as s:
        info = s.scalars(sa.select(StudyInfo)).one()
        info.settings = info.settings | {"database.url": pg_url}


@pytest.mark.postgres
def test_an_older_study_is_warned_and_its_password_moved_to_pgpass(
    pg_url: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare, _ = _parts(pg_url)
    folder = tmp_path / "old"
    _old_study(pg_url, folder, cli)
    monkeypatch.delenv("PGPASSWORD")
    listed = cli("--study", folder, "code", "list")
    assert listed.exit_code == 0
    assert "Warning: study.toml holds the database password in plain text" in listed.stderr
    before = (folder / "study.toml").read_text()

    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    moved = cli("--study", folder, "db", "move-password")
    assert moved.exit_code == 0, moved.stderr
    assert f"Moved the password into {tmp_path / 'pgpass'}; study.toml now names {bare}" in (
        moved.stdout
    )
    assert "Removed the password from the study's settings in the database" in moved.stdout
    assert "change it (ALTER ROLE" in moved.stdout
    after = (folder / "study.toml").read_text()
    assert after == before.replace(pg_url, bare)  # only that line changed
    assert stat.S_IMODE((tmp_path / "pgpass").stat().st_mode) == 0o600
    again = cli("--study", folder, "code", "list")
    assert again.exit_code == 0, again.stderr
    assert "Warning" not in again.stderr
    with StudyStore.open(folder) as store, store.session() as s:
        assert s.scalars(sa.select(StudyInfo.settings)).one()["database.url"] == bare


@pytest.mark.postgres
def test_a_move_that_would_leave_the_study_unreachable_changes_nothing(
    pg_url: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "old"
    _old_study(pg_url, folder, cli)
    monkeypatch.delenv("PGPASSWORD")
    before = (folder / "study.toml").read_text()
    moved = cli("--study", folder, "db", "move-password", "--to", "environment")
    assert moved.exit_code == 1
    assert moved.stderr.startswith("Error: cannot connect to database ")
    assert moved.stderr.rstrip().endswith("; study.toml is unchanged")
    assert (folder / "study.toml").read_text() == before
