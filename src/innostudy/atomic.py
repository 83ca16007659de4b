"""Files and folders that appear whole or not at all.

Every file innostudy writes for a person (exports, reports, mail-merge sheets, codebooks,
recordings, the cached model) is written to a temporary name in the same folder,
flushed to disk, and renamed over the target in one step (``os.replace``, atomic on
POSIX and Windows within one file system). A crash, a full disk or an error half-way
leaves the old file as it was and no partial file under the real name.

    write_atomic(path, data)           text or bytes at once
    atomic_text / atomic_bytes(path)   a handle to stream into
    atomic_path(path)                  a temporary name, for writers that want a file name
    StagedFile(path)                   written now, moved into place later (after a commit)
    atomic_folder(path)                a whole folder, swapped in when complete
    add_to_folder(new, target)         a folder's entries moved beside what is there

``mode`` sets the permission bits of the result exactly (0o600 for files holding tokens
or personal data); without it the process umask applies, as for any new file.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO


class StagedFile:
    """A file written beside ``path`` now and moved into place by ``commit()``.

    For writes that must follow something else, such as a database commit: the mail-merge
    file of invitations exists only if the tokens in it were stored. ``discard()`` removes
    the temporary file; a StagedFile neither committed nor discarded leaves only a hidden
    temporary file, never a partial file under the real name.
    """

    def __init__(self, path: Path, *, mode: int | None = None) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.temp = _create_beside(path, mode)
        self._done = False

    def commit(self) -> Path:
        """Flush the temporary file to disk and rename it over ``path``."""
        _fsync_file(self.temp)
        os.replace(self.temp, self.path)
        _fsync_folder(self.path.parent)
        self._done = True
        return self.path

    def discard(self) -> None:
        if not self._done:
            self.temp.unlink(missing_ok=True)
            self._done = True


@contextmanager
def atomic_path(path: Path, *, mode: int | None = None) -> Iterator[Path]:
    """A temporary name beside ``path`` to write to; it becomes ``path`` if the block ends
    without an exception and is removed if not."""
    staged = StagedFile(path, mode=mode)
    try:
        yield staged.temp
        staged.commit()
    finally:
        staged.discard()


@contextmanager
def atomic_text(
    path: Path, *, mode: int | None = None, encoding: str = "utf-8", newline: str | None = ""
) -> Iterator[TextIO]:
    """A text handle whose file replaces ``path`` when the block ends without an exception.

    ``newline=""`` writes line ends exactly as given (what the csv module wants, and the
    same bytes on every platform).
    """
    with (
        atomic_path(path, mode=mode) as temp,
        temp.open("w", encoding=encoding, newline=newline) as f,
    ):
        yield f


@contextmanager
def atomic_bytes(path: Path, *, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary handle whose file replaces ``path`` when the block ends without an exception."""
    with atomic_path(path, mode=mode) as temp, temp.open("wb") as f:
        yield f


def write_atomic(
    path: Path, data: str | bytes, *, mode: int | None = None, encoding: str = "utf-8"
) -> Path:
    """Replace ``path`` with ``data`` (text is encoded, line ends written as given)."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    with atomic_bytes(path, mode=mode) as f:
        f.write(raw)
    return path


@contextmanager
def atomic_folder(path: Path, *, keep_old_as: Path | None = None) -> Iterator[Path]:
    """A new folder to fill; it replaces ``path`` (a folder or nothing) when the block ends
    without an exception. The old folder is removed only once the new one is in place, or
    kept whole under ``keep_old_as``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{path.name}.building-", dir=path.parent))
    try:
        yield scratch
        replace_folder(scratch, path, keep_old_as=keep_old_as)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def replace_folder(new: Path, target: Path, *, keep_old_as: Path | None = None) -> None:
    """Put the folder ``new`` where ``target`` is, in two renames, restoring on failure.

    The old ``target`` is removed afterwards, or, with ``keep_old_as``, renamed there and
    kept (a backup costs one rename, not a copy).
    """
    if not target.exists():
        new.rename(target)
        return
    old = keep_old_as or target.with_name(f".{target.name}.old-{secrets.token_hex(4)}")
    if keep_old_as is not None and keep_old_as.exists():
        raise FileExistsError(f"{keep_old_as} already exists")
    target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        old.rename(target)
        raise
    if keep_old_as is None:
        shutil.rmtree(old, ignore_errors=True)


def add_to_folder(new: Path, target: Path) -> None:
    """Move every entry of the folder ``new`` into the existing folder ``target``, leaving
    what is already there alone; a name that is taken stops it before anything moves, and
    a failure half-way moves back what had moved."""
    entries = sorted(new.iterdir())
    taken = [e.name for e in entries if (target / e.name).exists()]
    if taken:
        raise FileExistsError(f"{target / taken[0]} already exists")
    moved: list[Path] = []
    try:
        for entry in entries:
            entry.rename(target / entry.name)
            moved.append(entry)
    except BaseException:
        for entry in reversed(moved):
            (target / entry.name).rename(entry)
        raise
    new.rmdir()
    _fsync_folder(target)


def _create_beside(path: Path, mode: int | None) -> Path:
    """A new, empty, uniquely named hidden file in ``path``'s folder."""
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode
            )
        except FileExistsError:
            continue
        try:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)  # exactly these bits, whatever the umask
        finally:
            os.close(fd)
        return temp


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder for this)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
