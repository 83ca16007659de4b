"""An archive from elsewhere is refused before anything is read if any entry is unsafe."""

from __future__ import annotations

import os
import warnings
import zipfile
from pathlib import Path

import pytest

from innostudy.errors import InputError
from innostudy.zipsafe import SafeZip, ZipLimits


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; we want one
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../../x", "entry name climbs out of the archive (..)"),
        ("sources/../../x.txt", "entry name climbs out of the archive (..)"),
        ("sources\\..\\..\\x.txt", "entry name climbs out of the archive (..)"),
        ("/etc/passwd", "entry has an absolute path"),
        ("C:/Windows/x.txt", "entry has an absolute path"),
        ("\\\\server\\share\\x", "entry has an absolute path"),
    ],
)
def test_unsafe_names_refuse_the_whole_archive(tmp_path: Path, name: str, problem: str) -> None:
    path = make_zip(tmp_path / "p.qdpx", [("project.qde", b"<Project/>"), (name, b"boom")])
    with pytest.raises(InputError) as caught:
        SafeZip(path)
    assert str(caught.value) == f"{path}:{name}: {problem}; refused"


def test_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("sources/link.txt")
    link.create_system = 3
    link.external_attr = 0o120777 << 16  # a symlink, as Info-ZIP stores one
    path = make_zip(tmp_path / "p.qdpx", [("project.qde", b"<Project/>"), (link, b"/etc/passwd")])
    with pytest.raises(InputError, match=r"sources/link.txt: entry is a symbolic link; refused$"):
        SafeZip(path)


def test_an_entry_twice_is_refused(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "p.qdpx", [("project.qde", b"<a/>"), ("project.qde", b"<b/>")])
    with pytest.raises(InputError, match=r"project.qde: entry appears twice in the archive"):
        SafeZip(path)


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    bomb = b"\0" * (8 * 1024 * 1024)  # deflates about a thousand times
    path = make_zip(tmp_path / "p.qdpx", [("project.qde", b"<Project/>"), ("sources/x.txt", bomb)])
    stored = zipfile.ZipFile(path).getinfo("sources/x.txt").compress_size
    assert len(bomb) / stored > 200  # the premise: far beyond any real text
    with pytest.raises(InputError) as caught:
        SafeZip(path)
    assert str(caught.value) == (
        f"{path}:sources/x.txt: entry inflates more than 200 times its stored size; "
        "refused (a zip bomb?)"
    )


def test_reading_counts_what_actually_comes_out(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "p.qdpx", [("sources/x.txt", os.urandom(4096))])
    with SafeZip(path) as archive:
        archive.limits = ZipLimits(max_total_bytes=1_000)  # as if the directory had lied
        with pytest.raises(InputError) as caught:
            archive.read("sources/x.txt")
    assert str(caught.value) == (
        f"{path}:sources/x.txt: archive inflates to more than 1000 bytes; refused (a zip bomb?)"
    )


def test_a_forged_size_in_the_directory_is_refused_on_reading(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "p.qdpx", [("sources/x.txt", os.urandom(4096))])
    with SafeZip(path) as archive:
        archive._infos["sources/x.txt"].file_size = 10  # what a forged directory would claim
        with pytest.raises(InputError, match=r"x.txt: cannot be read from the archive \(Bad CRC"):
            archive.read("sources/x.txt")


def test_the_total_size_is_capped(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "p.qdpx", [("a", os.urandom(800)), ("b", os.urandom(800))])
    with pytest.raises(InputError, match=r"p.qdpx: archive inflates to more than 1000 bytes"):
        SafeZip(path, ZipLimits(max_total_bytes=1_000))


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "p.qdpx", [(f"e{i}", b"x") for i in range(4)])
    with pytest.raises(InputError, match=r"archive has 4 entries, more than 3; refused"):
        SafeZip(path, ZipLimits(max_entries=3))


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "p.qdpx"
    path.write_text("<Project/>")
    with pytest.raises(InputError, match=r"p.qdpx: not a ZIP archive \(File is not a zip file\)"):
        SafeZip(path)


def test_folders_match_in_any_case_files_do_not(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "p.qdpx", [("Sources/A.txt", b"a"), ("project.qde", b"x")])
    with SafeZip(path) as archive:
        assert archive.find("sources/A.txt") == "Sources/A.txt"
        assert archive.find("sources/a.txt") is None
        assert archive.read("Sources/A.txt") == b"a"
