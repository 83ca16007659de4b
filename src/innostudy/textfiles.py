"""The one way innostudy reads a text file someone gave it: transcripts, notes, CSV sheets,
YAML and TOML files, narrative Markdown, data dictionaries.

People's files arrive from Word, Excel, Notepad, Teams and transcription services, so the
encoding is decided from the bytes, in this order, and the choice is reported:

1. a byte-order mark: UTF-32 (LE/BE), UTF-8, UTF-16 (LE/BE);
2. UTF-16 without a mark, recognised by its NUL bytes on every other position
   (Latin-script text in UTF-16 is half NUL bytes, always at the same parity);
3. strict UTF-8;
4. Windows-1252, the stated fallback: what Excel and Notepad on Windows write, and a
   superset of Latin-1's printable characters.

Other NUL bytes mean a binary file (a Word document, a spreadsheet, a PDF renamed
``.txt``), refused in one line rather than imported as noise. A file over the size limit
is refused before it is read. Line endings become ``\\n`` (CRLF and lone CR count as one
line break, as an editor shows them). Every error is an ``InputError`` naming the file,
and the line when a decode fails.

Files too big to hold (survey exports of a million rows) are streamed: ``detect_encoding``
decides from the first mebibyte and ``numbered_lines_stream`` yields numbered lines.
"""

from __future__ import annotations

import codecs
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from innostudy.errors import InputError

#: Whole-file reads refuse anything larger: no transcript, notes, codebook or narrative
#: comes near it, and a bigger "text" file is a mistake or an attack on memory.
MAX_TEXT_BYTES = 32 * 1024 * 1024
#: How much of a file the encoding is decided from when it is streamed.
SAMPLE_BYTES = 1 << 20


@dataclass(frozen=True)
class Encoding:
    """A decided encoding: the Python codec to read with, and its name for people."""

    codec: str
    label: str


UTF8 = Encoding("utf-8", "UTF-8")
UTF8_BOM = Encoding("utf-8-sig", "UTF-8 with BOM")
WINDOWS_1252 = Encoding("cp1252", "Windows-1252")
_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, Encoding("utf-32", "UTF-32 LE")),
    (codecs.BOM_UTF32_BE, Encoding("utf-32", "UTF-32 BE")),
    (codecs.BOM_UTF8, UTF8_BOM),
    (codecs.BOM_UTF16_LE, Encoding("utf-16", "UTF-16 LE")),
    (codecs.BOM_UTF16_BE, Encoding("utf-16", "UTF-16 BE")),
)
_UTF16_LE = Encoding("utf-16-le", "UTF-16 LE (no BOM)")
_UTF16_BE = Encoding("utf-16-be", "UTF-16 BE (no BOM)")
_SIGNATURES = (  # what a binary file most often turns out to be, to say so
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .qdpx?)"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc or .xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


@dataclass(frozen=True)
class TextFile:
    """A decoded text file: its text with ``\\n`` line ends, and how it was read."""

    path: Path
    text: str
    encoding: Encoding

    def lines(self) -> list[tuple[int, str]]:
        """The lines with their 1-based numbers, as error messages cite them."""
        return list(enumerate(self.text.split("\n"), start=1))


def detect_encoding(sample: bytes, source: str | Path, *, complete: bool = True) -> Encoding:
    """The encoding of a file from its first bytes (all of them when ``complete``).

    A binary file raises ``InputError``. When ``sample`` is only the start of the file,
    a UTF-8 character cut by the end of the sample does not count against UTF-8.
    """
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if b"\x00" in sample:
        return _utf16_by_nuls(sample) or _refuse_binary(sample, source)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if complete or exc.start < len(sample) - 3:
            return WINDOWS_1252
    return UTF8


def encoding_named(name: str, source: str | Path) -> Encoding:
    """An encoding the user named (``--encoding cp1252``), checked before any reading."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InputError(source, None, None, f"unknown text encoding '{name}'") from None
    return Encoding(name, codec)


def decode(
    data: bytes, source: str | Path, encoding: Encoding | None = None, *, normalise: bool = True
) -> TextFile:
    """Bytes that are a whole text file (from disk or an archive) → text with ``\\n`` ends
    (or the line ends as written, when a caller must know them: ``normalise=False``)."""
    chosen = encoding or detect_encoding(data, source)
    try:
        text = data.decode(chosen.codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(chosen.codec, errors="replace").count("\n") + 1
        raise InputError(
            source, line, None, f"not readable as {_tried(chosen)} text", unit="line"
        ) from None
    text = text.removeprefix("\ufeff")  # a mark the codec did not consume (utf-16-le)
    return TextFile(Path(source), normalise_newlines(text) if normalise else text, chosen)


def read_text(path: Path, *, limit: int = MAX_TEXT_BYTES, advice: str = "") -> TextFile:
    """A whole text file, decoded as the module docstring says; InputError otherwise."""
    return decode(read_bytes(path, limit=limit, advice=advice), path)


def numbered_lines(
    path: Path, *, limit: int = MAX_TEXT_BYTES, advice: str = ""
) -> list[tuple[int, str]]:
    """The file's lines with their 1-based numbers."""
    return read_text(path, limit=limit, advice=advice).lines()


def numbered_lines_stream(
    path: Path, encoding: Encoding | None = None
) -> Iterator[tuple[int, str]]:
    """Numbered lines (without their line ends) of a file of any size, read as it goes."""
    handle = _open(path)
    with handle:
        chosen = encoding or detect_encoding(handle.read(SAMPLE_BYTES), path, complete=False)
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(chosen.codec)()
        number, pending = 0, ""
        for block in itertools.chain(iter(lambda: handle.read(1 << 16), b""), [None]):
            try:
                pending += decoder.decode(block or b"", final=block is None)
            except UnicodeDecodeError as exc:
                good = bytes(exc.object[: exc.start]).decode(chosen.codec, errors="replace")
                at = number + normalise_newlines(pending + good).count("\n") + 1
                raise InputError(
                    path, at, None, f"not readable as {_tried(chosen)} text", unit="line"
                ) from None
            # a CR at the end may be the first half of a CRLF: wait for the next block
            keep = "\r" if block is not None and pending.endswith("\r") else ""
            lines = normalise_newlines(pending.removesuffix(keep)).split("\n")
            pending = lines.pop() + keep
            for line in lines:
                number += 1
                yield number, line.removeprefix("\ufeff") if number == 1 else line
        if pending:
            yield number + 1, pending


def read_bytes(path: Path, *, limit: int = MAX_TEXT_BYTES, advice: str = "") -> bytes:
    """A file's bytes, refusing a folder, a missing file or one over ``limit`` bytes
    (``advice`` says what to do instead, in the caller's words)."""
    handle = _open(path)
    with handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        what = advice or "a text file this big is not read"
        raise InputError(path, None, None, f"is larger than {_size(limit)}; {what}")
    return data


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become ``\\n``, so offsets and line numbers match an editor's."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _open(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(path, None, None, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, None, None, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(path, None, None, f"cannot be read: {exc.strerror}") from None


def _utf16_by_nuls(sample: bytes) -> Encoding | None:
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0 : pairs * 2 : 2].count(0) / pairs
    odd = sample[1 : pairs * 2 : 2].count(0) / pairs
    if odd >= 0.3 and even <= 0.02:
        return _UTF16_LE
    if even >= 0.3 and odd <= 0.02:
        return _UTF16_BE
    return None


def _refuse_binary(sample: bytes, source: str | Path) -> NoReturn:
    what = next((name for magic, name in _SIGNATURES if sample.startswith(magic)), None)
    raise InputError(source, None, None, f"is {what or 'a binary file'}, not text", unit="line")


def _tried(encoding: Encoding) -> str:
    if encoding is WINDOWS_1252:
        return "UTF-8 or Windows-1252"
    return encoding.label


def _size(n: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:g} {unit}"
    return f"{n} bytes"
