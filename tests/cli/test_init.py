"""`innostudy init` and the errors every command shares: one line, non-zero exit, nothing written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.storage.store import StudyStore
from innostudy.storage.upgrade import head_revision
from tests.conftest import Cli


def test_init_creates_a_complete_study(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "s")
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "s"
    for name in (
        "study.toml",
        "study.db",
        "instrument.yaml",
        "codebook.yaml",
        "group_types.yaml",
        "areas.yaml",
    ):
        assert (folder / name).is_file(), name
    assert (folder / "files").is_dir()
    assert not list(tmp_path.glob(".s.*")), "scratch folders must not be left behind"
    with StudyStore.open(folder) as store, store.session() as s:
        assert s.scalar(sa.text("SELECT count(*) FROM group_type")) == 7
        assert s.scalar(sa.text("SELECT count(*) FROM code WHERE parent_id IS NULL")) == 5
        assert s.scalar(sa.text("SELECT count(*) FROM code WHERE parent_id IS NOT NULL")) >= 25
        assert s.scalar(sa.text("SELECT name FROM study")) == "Innovation in public organisations"


def test_init_into_an_empty_existing_folder_works(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    assert cli("init", tmp_path / "s").exit_code == 0


def test_init_into_a_non_empty_folder_is_refused(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = cli("init", folder)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {folder}: folder is not empty; choose a new folder or pass --force to replace it"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_init_force_beside_other_files_keeps_them(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = cli("init", "--force", folder)
    assert result.exit_code == 0, result.stderr
    assert (folder / "notes.txt").read_text() == "mine"
    assert (folder / "study.toml").exists() and (folder / "study.db").exists()
    assert "Created beside the 1 entry already there, left as they were" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_init_force_never_overwrites_a_file_of_the_same_name(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "instrument.yaml").write_text("my own")
    result = cli("init", "--force", folder)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {folder}: instrument.yaml is already there and is not a study's; "
        "move it away or choose a new folder (nothing was changed)"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["instrument.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def _study_with_data(cli: Cli, folder: Path) -> bytes:
    """A study holding a registered organisation and a file of the user's own."""
    assert cli("init", folder).exit_code == 0
    (folder / "organisations.csv").write_text("organisation,type\nHM Treasury,ministerial\n")
    assert cli("--study", folder, "survey", "invite", folder / "organisations.csv").exit_code == 0
    return (folder / "study.db").read_bytes()


def test_init_force_refuses_a_study_holding_data(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    _study_with_data(cli, folder)
    before = {p.name: p.stat().st_mtime_ns for p in folder.rglob("*")}
    result = cli("init", "--force", folder)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {folder}: holds a study with data (1 organisation, 1 response, "
        "2 more files or folders (files, organisations.csv)); to replace it pass "
        "--confirm s as well as --force (the old folder is kept whole as "
        "s.backup-<date>-<time>)"
    )
    assert {p.name: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]
    wrong = cli("init", "--force", "--confirm", "t", folder)
    assert wrong.exit_code == 1
    assert "--confirm must be the folder's name, 's'; nothing was changed" in wrong.stderr
    without_force = cli("init", "--confirm", "s", folder)
    assert without_force.exit_code == 1
    assert "pass --force --confirm s to replace it" in without_force.stderr


def test_init_force_confirmed_keeps_the_whole_old_study(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    old_db = _study_with_data(cli, folder)
    result = cli("init", "--force", "--confirm", "s", folder)
    assert result.exit_code == 0, result.stderr
    (backup,) = tmp_path.glob("s.backup-*")
    assert re.fullmatch(r"s\.backup-\d{8}-\d{6}", backup.name)
    assert f"is kept whole in {backup}" in result.stdout
    assert (backup / "study.db").read_bytes() == old_db
    assert (backup / "organisations.csv").exists()
    assert not (folder / "organisations.csv").exists()
    with StudyStore.open(folder) as store, store.session() as s:
        assert s.scalar(sa.text("SELECT count(*) FROM organisation")) == 0
    with StudyStore.open(backup) as store, store.session() as s:
        assert s.scalar(sa.text("SELECT name FROM organisation")) == "HM Treasury"


def test_a_study_holding_only_what_init_wrote_needs_force_alone(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    assert cli("init", folder).exit_code == 0
    result = cli("init", "--force", folder)
    assert result.exit_code == 0, result.stderr
    assert len(list(tmp_path.glob("s.backup-*"))) == 1


def test_an_edited_instrument_counts_as_data(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    assert cli("init", folder).exit_code == 0
    with (folder / "instrument.yaml").open("a") as f:
        f.write("# my edits\n")
    result = cli("init", "--force", folder)
    assert result.exit_code == 1
    assert "holds a study with data (edited instrument.yaml)" in result.stderr


def test_the_name_can_be_typed_at_a_terminal(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "s"
    _study_with_data(cli, folder)
    monkeypatch.setattr("innostudy.cli.setup._interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("nope\n"))
    refused = cli("init", "--force", folder)
    assert refused.exit_code == 1
    assert refused.stderr.strip().endswith("; not confirmed, nothing was changed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]
    monkeypatch.setattr("sys.stdin", io.StringIO("s\n"))
    done = cli("init", "--force", folder)
    assert done.exit_code == 0, done.stderr
    assert len(list(tmp_path.glob("s.backup-*"))) == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "[study\nname = 1",
            "not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 7)",
        ),
        ("[study]\nname = 3\n", "setting 'study.name' must be str, not int"),
        ('[survey]\ncolour = "red"\n', "unknown setting 'survey.colour' (see docs/settings.md)"),
        ('study = "x"\n', "'study' must be a [section], not a single value"),
    ],
)
def test_a_corrupt_study_toml_is_one_line(
    cli: Cli, tmp_path: Path, content: str, expected: str
) -> None:
    folder = tmp_path / "s"
    assert cli("init", folder).exit_code == 0
    (folder / "study.toml").write_text(content)
    before = (folder / "study.db").read_bytes()
    result = cli("--study", folder, "report")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {folder / 'study.toml'}: {expected}"
    assert (folder / "study.db").read_bytes() == before
    assert not (folder / "report").exists()


def test_an_unreachable_database_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    result = cli("--database-url", "postgresql://nobody:pw@127.0.0.1:1/nothing", "init", folder)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "Error: cannot connect to database postgresql+psycopg://nobody:***@127.0.0.1:1/nothing:"
    )
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []


def test_commands_outside_a_study_say_how_to_start(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("report")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {tmp_path}: no study.toml here (the current folder); "
        "create a study with `innostudy init DIR` or name one with --study DIR"
    )


def test_study_can_come_from_the_environment(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("init", tmp_path / "s").exit_code == 0
    monkeypatch.setenv("INNOSTUDY_STUDY", str(tmp_path / "s"))
    result = cli("db", "current")
    assert result.exit_code == 0
    assert f"database: {head_revision()}" in result.stdout


@pytest.mark.postgres
def test_init_on_postgres_keeps_the_folder_and_database_together(
    cli: Cli, tmp_path: Path, pg_url: str
) -> None:
    folder = tmp_path / "s"
    assert cli("--database-url", pg_url, "init", folder).exit_code == 0
    assert not (folder / "study.db").exists()
    with StudyStore.open(folder) as store, store.session() as s:
        assert store.engine.url.get_backend_name() == "postgresql"
        assert s.scalar(sa.text("SELECT count(*) FROM group_type")) == 7
    again = cli("--database-url", pg_url, "init", tmp_path / "t")
    assert again.exit_code == 1
    assert "already holds" in again.stderr and "--force" in again.stderr
    assert not (tmp_path / "t").exists()


@pytest.mark.postgres
def test_init_never_empties_a_postgres_database_holding_study_data(
    cli: Cli, tmp_path: Path, pg_url: str
) -> None:
    folder = tmp_path / "s"
    assert cli("--database-url", pg_url, "init", folder).exit_code == 0
    (tmp_path / "orgs.csv").write_text("organisation,type\nHM Treasury,ministerial\n")
    assert cli("--study", folder, "survey", "invite", tmp_path / "orgs.csv").exit_code == 0
    again = cli("--database-url", pg_url, "init", "--force", "--confirm", "t", tmp_path / "t")
    assert again.exit_code == 1
    assert again.stderr.count("\n") == 1
    assert "holds study data (1 organisation, 1 response); innostudy does not back up" in (
        again.stderr
    )
    assert "back it up (e.g. pg_dump), empty it yourself, or use a new database" in again.stderr
    assert not (tmp_path / "t").exists()
    with StudyStore.open(folder) as store, store.session() as s:
        assert s.scalar(sa.text("SELECT count(*) FROM organisation")) == 1


@pytest.mark.postgres
def test_replacing_a_postgres_study_folder_says_its_database_stays(
    cli: Cli, tmp_path: Path, pg_url: str
) -> None:
    folder = tmp_path / "s"
    assert cli("--database-url", pg_url, "init", folder).exit_code == 0
    (tmp_path / "orgs.csv").write_text("organisation,type\nHM Treasury,ministerial\n")
    assert cli("--study", folder, "survey", "invite", tmp_path / "orgs.csv").exit_code == 0
    result = cli("init", "--force", "--confirm", "s", folder)
    assert result.exit_code == 0, result.stderr
    assert "Its database postgresql+psycopg://" in result.stdout
    assert "is not in that folder and was not touched" in result.stdout
    (backup,) = tmp_path.glob("s.backup-*")
    with StudyStore.open(backup) as store, store.session() as s:
        assert store.engine.url.get_backend_name() == "postgresql"
        assert s.scalar(sa.text("SELECT name FROM organisation")) == "HM Treasury"
    assert (folder / "study.db").exists()


def test_looking_at_a_study_with_a_write_ahead_log_leaves_it_as_it_was(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "s"
    _study_with_data(cli, folder)
    with StudyStore.open(folder) as store, store.session() as s:  # an open writer: -wal exists
        s.execute(sa.text("UPDATE organisation SET name = 'HM Treasury (renamed)'"))
        listing = sorted(p.name for p in folder.iterdir())
        assert "study.db-wal" in listing
        assert cli("init", "--force", folder).exit_code == 1
        assert sorted(p.name for p in folder.iterdir()) == listing
    assert not (tmp_path / "s.backup").exists()
