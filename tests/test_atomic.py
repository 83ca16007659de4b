"""Files and folders written whole or not at all, with the permissions asked for."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from innostudy.atomic import (
    StagedFile,
    atomic_folder,
    atomic_path,
    atomic_text,
    write_atomic,
)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_text_and_bytes_replace_the_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.csv"
    write_atomic(target, "a,b\r\nç,é\n")
    assert target.read_bytes() == "a,b\r\nç,é\n".encode()  # line ends exactly as given
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert listing(target.parent) == ["out.csv"]


def test_a_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")

    def fail_half_way() -> None:
        with atomic_text(target) as f:
            f.write("half of the new")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert target.read_text(encoding="utf-8") == "old"
    assert listing(tmp_path) == ["report.md"]


def test_a_mode_is_applied_exactly(tmp_path: Path) -> None:
    secret = write_atomic(tmp_path / "links.csv", "token", mode=0o600)
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    plain = write_atomic(tmp_path / "plain.csv", "x")
    assert stat.S_IMODE(plain.stat().st_mode) & 0o600 == 0o600


def test_writers_that_want_a_name_get_one_beside_the_target(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    with atomic_path(target) as temp:
        assert temp.parent == tmp_path and temp.name.startswith(".book.xlsx.")
        temp.write_bytes(b"PK")
        assert not target.exists()
    assert target.read_bytes() == b"PK"


def test_a_staged_file_appears_only_when_committed(tmp_path: Path) -> None:
    kept, dropped = StagedFile(tmp_path / "kept.csv"), StagedFile(tmp_path / "dropped.csv")
    kept.temp.write_text("x", encoding="utf-8")
    dropped.temp.write_text("y", encoding="utf-8")
    assert not (tmp_path / "kept.csv").exists()
    kept.commit()
    dropped.discard()
    assert listing(tmp_path) == ["kept.csv"]


def test_a_folder_is_swapped_in_whole(tmp_path: Path) -> None:
    target = tmp_path / "briefing"
    target.mkdir()
    (target / "old.pdf").write_bytes(b"old")

    def fail_half_way() -> None:
        with atomic_folder(target) as scratch:
            (scratch / "new.pdf").write_bytes(b"new")
            raise RuntimeError("render failed")

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert listing(target) == ["old.pdf"] and listing(tmp_path) == ["briefing"]
    with atomic_folder(target) as scratch:
        (scratch / "new.pdf").write_bytes(b"new")
    assert listing(target) == ["new.pdf"] and listing(tmp_path) == ["briefing"]


def test_add_to_folder_moves_entries_beside_what_is_there(tmp_path: Path) -> None:
    from innostudy.atomic import add_to_folder

    target, new = tmp_path / "t", tmp_path / "n"
    target.mkdir()
    new.mkdir()
    (target / "mine.txt").write_text("mine")
    (new / "a.txt").write_text("a")
    (new / "sub").mkdir()
    add_to_folder(new, target)
    assert sorted(p.name for p in target.iterdir()) == ["a.txt", "mine.txt", "sub"]
    assert not new.exists()


def test_add_to_folder_refuses_a_taken_name_before_moving_anything(tmp_path: Path) -> None:
    from innostudy.atomic import add_to_folder

    target, new = tmp_path / "t", tmp_path / "n"
    target.mkdir()
    new.mkdir()
    (target / "b.txt").write_text("mine")
    (new / "a.txt").write_text("a")
    (new / "b.txt").write_text("theirs")
    with pytest.raises(FileExistsError):
        add_to_folder(new, target)
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    assert (target / "b.txt").read_text() == "mine"
    assert sorted(p.name for p in new.iterdir()) == ["a.txt", "b.txt"]


def test_replace_folder_can_keep_the_old_one(tmp_path: Path) -> None:
    from innostudy.atomic import replace_folder

    target, new, kept = tmp_path / "t", tmp_path / "n", tmp_path / "t.backup"
    target.mkdir()
    new.mkdir()
    (target / "old.txt").write_text("old")
    (new / "new.txt").write_text("new")
    replace_folder(new, target, keep_old_as=kept)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert (kept / "old.txt").read_text() == "old"
