"""The one text-file reader: encodings decided from bytes, binaries and giants refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from innostudy.errors import InputError
from innostudy.textfiles import (
    detect_encoding,
    normalise_newlines,
    numbered_lines,
    numbered_lines_stream,
    read_text,
)

TEXT = "Zoë: café – “ok”\r\nBen: naïve\rAna: end\n"
LINES = ["Zoë: café – “ok”", "Ben: naïve", "Ana: end", ""]


def write(tmp_path: Path, data: bytes, name: str = "t.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 with BOM"),
        (TEXT.encode("utf-16"), "UTF-16 LE"),  # Python writes the native (LE) mark
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16 BE"),
        (TEXT.encode("utf-16-le"), "UTF-16 LE (no BOM)"),
        (TEXT.encode("utf-16-be"), "UTF-16 BE (no BOM)"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "UTF-32 LE"),
        (codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"), "UTF-32 BE"),
        (TEXT.encode("cp1252"), "Windows-1252"),
    ],
)
def test_each_encoding_is_recognised_and_line_ends_normalised(
    tmp_path: Path, data: bytes, label: str
) -> None:
    read = read_text(write(tmp_path, data))
    assert read.encoding.label == label
    assert read.text.split("\n") == LINES
    assert [line for _, line in numbered_lines_stream(write(tmp_path, data, "s.txt"))] == LINES[:-1]


def test_strict_utf8_wins_over_windows_1252(tmp_path: Path) -> None:
    # "Ã©" is valid Windows-1252 too; UTF-8 is tried first, so é stays é
    assert read_text(write(tmp_path, "é".encode())).text == "é"


def test_a_cut_character_at_the_end_of_a_sample_is_not_evidence_against_utf8() -> None:
    sample = "abc é".encode()[:-1]
    assert detect_encoding(sample, "x", complete=False).label == "UTF-8"
    assert detect_encoding(sample, "x", complete=True).label == "Windows-1252"


def test_numbered_lines_count_from_one(tmp_path: Path) -> None:
    assert numbered_lines(write(tmp_path, b"a\r\nb\n")) == [(1, "a"), (2, "b"), (3, "")]


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (
            b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 20,
            "is a ZIP archive (a .docx, .xlsx or .qdpx?)",
        ),
        (b"%PDF-1.7\n\x00\x01\x02" + b"\x00" * 8, "is a PDF document"),
        (
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00",
            "is a binary file",
        ),
    ],
)
def test_binary_files_are_refused_in_one_line(tmp_path: Path, data: bytes, what: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert str(info.value) == f"{path}: {what}, not text"


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, b"a" * 2049)
    with pytest.raises(InputError) as info:
        read_text(path, limit=2048)
    assert str(info.value) == f"{path}: is larger than 2 KiB; a text file this big is not read"
    assert read_text(write(tmp_path, b"a" * 2048, "ok.txt"), limit=2048).text == "a" * 2048


def test_an_undecodable_byte_names_its_line(tmp_path: Path) -> None:
    # 0x81 is undefined in Windows-1252 and not UTF-8: nothing can read it
    path = write(tmp_path, b"one\ntwo\nthr\x81e\n")
    with pytest.raises(InputError) as info:
        read_text(path)
    assert str(info.value) == f"{path}, line 3: not readable as UTF-8 or Windows-1252 text"


def test_a_stream_names_the_line_where_decoding_fails(tmp_path: Path) -> None:
    # the first mebibyte decides (UTF-8); a Windows-1252 byte far below is named by line
    path = write(tmp_path, b"ok\n" * 400_000 + "caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        list(numbered_lines_stream(path))
    assert str(info.value) == f"{path}, line 400001: not readable as UTF-8 text"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "file not found"),
        (lambda p: (p.mkdir(), p)[1], "is a folder, not a file"),
    ],
)
def test_missing_files_and_folders(tmp_path: Path, make: object, message: str) -> None:
    path = tmp_path / "x.txt"
    assert callable(make)
    make(path)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert str(info.value) == f"{path}: {message}"


def test_crlf_and_cr_are_one_line_break_each() -> None:
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
