"""`innostudy init` and the errors every command shares: one line, non-zero exit, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.storage.store import StudyStore
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


def test_init_force_replaces_the_folder(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "notes.txt").write_text("old")
    assert cli("init", "--force", folder).exit_code == 0
    assert not (folder / "notes.txt").exists()
    assert (folder / "study.toml").exists()


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
    from innostudy.storage.upgrade import head_revision

    # every issue that adds a migration moves head; what matters is that it is reached
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
