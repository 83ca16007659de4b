"""Reading text files the way they arrive: UTF-8 with or without BOM, or Windows-1252."""

from __future__ import annotations

from pathlib import Path

from innostudy.errors import InputError


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, None, None, "file not found") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputError(
                path, line, None, "not readable as UTF-8 or Windows-1252 text", unit="line"
            ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def numbered_lines(path: Path) -> list[tuple[int, str]]:
    """The file's lines with their 1-based numbers, as error messages cite them."""
    return list(enumerate(read_text(path).split("\n"), start=1))
