"""Zip bombs in every ZIP input (DOCX transcripts, XLSX responses and instruments, .qdpx):
refused from the archive's directory, in one line, before anything is inflated."""

from __future__ import annotations

import os
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from innostudy.errors import InputError
from tests.conftest import Cli
from tests.fieldwork.conftest import Study, study

__all__ = ["study"]  # the fixture, used by name

MIB = 1 << 20
PEAK_LIMIT = 16 * MIB  # what refusing may cost; parsing these would take gigabytes


def bomb(path: Path, inner: str, size: int, others: dict[str, bytes]) -> Path:
    """A valid package whose ``inner`` part inflates to ``size`` bytes of repeated XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in others.items():
            package.writestr(name, data)
        with package.open(inner, "w", force_zip64=size >= 1 << 31) as part:
            chunk = b"<w:p/>" * (1 << 18)
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return path


def lying(path: Path, inner: str, declared: int) -> Path:
    """``path`` with ``inner``'s inflated size rewritten to ``declared`` in both headers."""
    raw = bytearray(path.read_bytes())
    name = inner.encode()
    # local header: size at 22, name length at 26, name at 30; central: 24, 28, 46
    for marker, size_at, length_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        at = raw.find(marker)
        while at != -1:
            length = struct.unpack_from("<H", raw, at + length_at)[0]
            if raw[at + name_at : at + name_at + length] == name:
                struct.pack_into("<I", raw, at + size_at, declared)
            at = raw.find(marker, at + 4)
    out = path.with_name("lying-" + path.name)
    out.write_bytes(bytes(raw))
    return out


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


@pytest.fixture(scope="module")
def docx_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bombs")
    return bomb(
        folder / "bomb.docx", "word/document.xml", 512 * MIB, {"[Content_Types].xml": CONTENT_TYPES}
    )


@pytest.fixture(scope="module")
def xlsx_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bombs")
    others = {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"}
    return bomb(folder / "bomb.xlsx", "xl/sharedStrings.xml", 256 * MIB, others)


def peak_of(read: Callable[[Path], object], path: Path) -> tuple[str, int]:
    """The one-line error ``read`` gives for ``path`` and the most memory Python held while
    it ran (after a first run, which imports what the reader needs)."""
    for attempt in ("warm", "measured"):
        if attempt == "measured":
            tracemalloc.start()
        try:
            with pytest.raises(InputError) as refused:
                read(path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return str(refused.value), peak


def test_a_docx_bomb_is_refused_before_python_docx_opens_it(
    cli: Cli, study: Study, docx_bomb: Path
) -> None:
    from innostudy.transcripts.formats.docx import parse

    expected = (
        f"{docx_bomb}:word/document.xml: entry inflates more than 100 times its "
        "stored size; refused (a zip bomb?)"
    )
    message, peak = peak_of(parse, docx_bomb)
    assert (message, peak < PEAK_LIMIT) == (expected, True)
    args = ("--study", study.folder, "transcripts", "import", docx_bomb)
    result = cli(*args, "--session", study.session_id)
    assert (result.exit_code, result.stderr) == (1, f"Error: {expected}\n")


def test_a_docx_whose_headers_lie_fails_in_one_line(tmp_path: Path) -> None:
    from innostudy.transcripts.formats.docx import parse

    real = bomb(
        tmp_path / "b.docx", "word/document.xml", 64 * MIB, {"[Content_Types].xml": CONTENT_TYPES}
    )
    liar = lying(real, "word/document.xml", 2000)
    message, peak = peak_of(parse, liar)
    assert message.startswith(f"{liar}: not a readable Word document (") and "\n" not in message
    assert peak < PEAK_LIMIT


def test_an_xlsx_bomb_is_refused_by_survey_import(cli: Cli, study: Study, xlsx_bomb: Path) -> None:
    from innostudy.survey.importing.tables import open_table

    expected = (
        f"{xlsx_bomb}:xl/sharedStrings.xml: entry inflates more than 100 times its "
        "stored size; refused (a zip bomb?)"
    )
    message, peak = peak_of(open_table, xlsx_bomb)
    assert (message, peak < PEAK_LIMIT) == (expected, True)
    result = cli("--study", study.folder, "survey", "import", xlsx_bomb)
    assert (result.exit_code, result.stderr) == (1, f"Error: {expected}\n")


def test_an_xlsx_bomb_is_refused_as_an_instrument(cli: Cli, xlsx_bomb: Path) -> None:
    from innostudy.survey.instrument_io import read_instrument_file

    message, peak = peak_of(read_instrument_file, xlsx_bomb)
    assert "xl/sharedStrings.xml: entry inflates more than 100 times" in message
    assert peak < PEAK_LIMIT
    result = cli("survey", "instrument", "import", xlsx_bomb)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")


def test_a_big_archive_of_modest_ratio_is_refused_by_its_declared_total(
    tmp_path: Path, cli: Cli, study: Study
) -> None:
    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("word/document.xml", b"<w:document/>")
        for i in range(3):
            package.writestr(f"word/media/image{i}.bin", os.urandom(MIB) * 50)
    args = ("--study", study.folder, "transcripts", "import", path, "--session", study.session_id)
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: archive inflates to more than 128 MiB; refused (a zip bomb?)\n"
    )


def test_a_qdpx_bomb_is_refused(cli: Cli, tmp_path: Path, docx_bomb: Path) -> None:
    from innostudy.exchange.refi.reading import read_qdpx

    qdpx = tmp_path / "bomb.qdpx"
    qdpx.write_bytes(docx_bomb.read_bytes())
    message, peak = peak_of(read_qdpx, qdpx)
    assert "word/document.xml: entry inflates more than 200 times" in message
    assert peak < PEAK_LIMIT
    result = cli("init", tmp_path / "s", "--from", qdpx)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    assert not (tmp_path / "s").exists()
