"""Reading a ZIP archive from elsewhere without trusting it: the one owner for every ZIP input.

A ``.qdpx`` comes from another tool, or from anyone; so do DOCX transcripts and XLSX
survey files and instruments, which are ZIP packages too. Before a single entry is read
the whole directory is checked, and the archive is refused if any entry:

- has an absolute name (``/x``, ``\\x``, ``C:x``) or a ``..`` component, or a NUL byte;
- is a symbolic link, or is encrypted;
- appears twice under the same name;

or if there are more entries than ``max_entries``. Entries are never extracted to
disk; they are read into memory by name, and reading counts the bytes actually
inflated (headers can lie) against ``max_total_bytes`` for the archive and
``max_ratio`` (inflated / stored) for each entry larger than ``ratio_floor_bytes``,
which is what stops a zip bomb.

DOCX and XLSX files are read by python-docx and openpyxl, which open the archive
themselves; ``check_archive`` runs the same directory checks first, with limits for the
kind of file (``DOCX_LIMITS``, ``XLSX_LIMITS``). That is enough: both libraries read
through ``zipfile``, which never inflates an entry past the size the directory declares
(a stream that would go on fails its CRC check instead), so the declared sizes checked
here bound what they can inflate. Errors are one line naming the file (and the entry).
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from innostudy.errors import InputError

_CHUNK = 1 << 16
_DRIVE = re.compile(r"^[A-Za-z]:")


_MIB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    max_total_bytes: int = 512 * _MIB
    max_ratio: float = 200.0
    ratio_floor_bytes: int = _MIB
    max_entries: int = 20_000


# A Word transcript is text: a three-hour meeting is a few MiB of XML. python-docx loads
# every part and parses the document into a tree several times its size, so the cap is
# low. Deflate reaches about 1,000 : 1 on repetitive data; real document XML about 10 : 1.
DOCX_LIMITS = ZipLimits(max_total_bytes=128 * _MIB, max_ratio=100.0, max_entries=5_000)
# openpyxl streams sheets (read-only mode) but holds the shared strings in memory; a
# million-row survey export is a few hundred MiB of sheet XML.
XLSX_LIMITS = ZipLimits(max_total_bytes=1024 * _MIB, max_ratio=100.0, max_entries=5_000)


def check_archive(path: Path, limits: ZipLimits) -> None:
    """Refuse ``path`` (one line) unless its directory passes the checks under ``limits``;
    for files another library will open (see the module docstring). A file that is not a
    ZIP archive at all is left to that library, whose error says what was expected."""
    if path.is_file() and zipfile.is_zipfile(path):
        with SafeZip(path, limits):
            pass


def entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why this entry makes the archive unsafe to read, or None."""
    name = info.filename
    if "\x00" in name:
        return "entry name contains a NUL byte"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "entry has an absolute path"
    if ".." in re.split(r"[\\/]", name):
        return "entry name climbs out of the archive (..)"
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        return "entry is a symbolic link"
    if info.flag_bits & 0x1:
        return "entry is encrypted"
    return None


class SafeZip:
    """An archive whose directory passed the checks; read entries with ``read(name)``."""

    def __init__(self, path: Path, limits: ZipLimits | None = None) -> None:
        self.path = path
        self.limits = limits or ZipLimits()
        self._inflated = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise InputError(path, None, None, "file not found") from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(path, None, None, f"not a ZIP archive ({exc})") from None
        try:
            self._infos = self._check_directory()
        except BaseException:
            self._zip.close()
            raise

    def _check_directory(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise InputError(
                self.path,
                None,
                None,
                f"archive has {len(infos)} entries, more than {self.limits.max_entries}; refused",
            )
        seen: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            problem = entry_problem(info)
            if problem is None and info.filename in seen:
                problem = "entry appears twice in the archive"
            message = f"{problem}; refused" if problem else self._size_problem(info)
            if message is not None:
                raise InputError(self.entry_label(info.filename), None, None, message)
            seen[info.filename] = info
        declared = sum(info.file_size for info in infos)
        if declared > self.limits.max_total_bytes:
            raise InputError(self.path, None, None, self._too_big())
        return seen

    def _too_big(self) -> str:
        cap = self.limits.max_total_bytes
        size = f"{cap // (1024 * 1024)} MiB" if cap >= 1024 * 1024 else f"{cap} bytes"
        return f"archive inflates to more than {size}; refused (a zip bomb?)"

    def _ratio_problem(self, inflated: int, stored: int) -> str | None:
        limits = self.limits
        if inflated > limits.ratio_floor_bytes and inflated > limits.max_ratio * max(stored, 1):
            return (
                f"entry inflates more than {limits.max_ratio:g} times its stored size; "
                "refused (a zip bomb?)"
            )
        return None

    def _size_problem(self, info: zipfile.ZipInfo) -> str | None:
        """What the directory itself declares (reading checks again: headers can lie)."""
        return self._ratio_problem(info.file_size, info.compress_size)

    def entry_label(self, name: str) -> str:
        """How messages name an entry: ``study.qdpx:sources/x.txt``."""
        return f"{self.path}:{name}"

    def names(self) -> list[str]:
        return [n for n, info in self._infos.items() if not info.is_dir()]

    def find(self, name: str) -> str | None:
        """The entry called ``name``; folder names match in any letter case (Sources/sources)."""
        if name in self._infos:
            return name
        folder, _, base = name.rpartition("/")
        for candidate in self._infos:
            c_folder, _, c_base = candidate.rpartition("/")
            if c_base == base and c_folder.casefold() == folder.casefold():
                return candidate
        return None

    def read(self, name: str) -> bytes:
        info = self._infos[name]
        label = self.entry_label(name)
        limit = self.limits.max_total_bytes - self._inflated
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise InputError(label, None, None, self._too_big())
                    problem = self._ratio_problem(size, info.compress_size)
                    if problem is not None:
                        raise InputError(label, None, None, problem)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise InputError(
                label, None, None, f"cannot be read from the archive ({exc})"
            ) from None
        self._inflated += size
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
