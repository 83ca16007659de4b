"""Check a large CSV in worker processes while this process writes what they accepted.

::

    file ── blocks (byte ranges, cut at record ends) ──> workers: read, parse, judge rows
                                                              │ (rows.RowChecker.judge)
    database <── writer <── settle: whose is each row, in file order <──┘

Checking a row is Python, and one process checks about 60,000 rows a second; the
database takes most of a second core. So the rows are judged in forked worker
processes (each inherits the compiled checker; nothing is pickled but byte offsets out
and judged rows back) and settled here, in file order: finding each row's organisation
depends on the rows before it (one response per organisation), so it stays in one place.

A block starts and ends at a record boundary: a newline with an even number of quotes
before it. That rule holds for CSV that quotes as RFC 4180 does; a stray quote inside
an unquoted value (which Python's csv module accepts) would break it. Every worker
therefore checks its own block: the parse must end exactly at the block's end, outside
a quoted value. If any block does not, or a block cannot be read as text, the caller
rolls back and checks the whole file in order instead (``Fallback``), which also gives
the exact message for a broken file. Results are taken in order with a bounded number
of blocks in flight, so memory stays flat however large the file.
"""

from __future__ import annotations

import codecs
import csv
import ctypes
import gc
import hashlib
import io
import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from innostudy.model import ResponseStatus
from innostudy.survey.importing.rows import RowChecker
from innostudy.survey.importing.tables import Table

BLOCK_BYTES = 8 << 20
MIN_BYTES = 48 << 20  # below this, starting workers costs more than it saves
IN_FLIGHT = 3  # blocks per worker queued ahead: keeps workers busy, memory bounded
ASCII_SAFE = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "ascii", "iso-8859-1")
_quoted = json.encoder.encode_basestring


class Fallback(Exception):
    """The file cannot be split safely: check it in one pass instead (the caller decides)."""


@dataclass
class BlockResult:
    records: int  # how many records the block held (to number the next block's rows)
    judged: list[tuple[Any, ...]]  # Judged as plain tuples, the status as its value
    end: int  # byte offset where the block ended (progress)
    notes: dict[str, str]  # what the worker's decoder noted (RowDecoder.notes)


def usable(table: Table, checker: RowChecker, workers: int) -> bool:
    """Are worker processes worth it and safe here?"""
    return (
        workers > 1
        and table.kind == "csv"
        and (table.encoding or "").replace("_", "-").casefold() in ASCII_SAFE
        and not checker.keep_raw  # rejected rows keep their cells: read those in one pass
        and sys.platform.startswith("linux")  # fork: workers inherit the compiled checker
        and table.path.stat().st_size >= MIN_BYTES
    )


def worker_count() -> int:
    """$INNOSTUDY_IMPORT_WORKERS, else the cores this process may use (at most 4)."""
    given = os.environ.get("INNOSTUDY_IMPORT_WORKERS", "").strip()
    if given.isdigit():
        return max(1, int(given))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, min(4, cores))


def data_start(table: Table, skip: int) -> int:
    """The byte offset of the first record after the ``skip`` header records."""
    with table.path.open("rb") as f:
        head = f.read(1 << 20)
    offset, quotes, seen = 0, 0, 0
    while seen < skip:
        newline = head.find(b"\n", offset)
        if newline < 0:
            raise Fallback("the header is longer than the first megabyte")
        quotes += head.count(b'"', offset, newline)
        offset = newline + 1
        if quotes % 2 == 0:
            seen += 1
    return offset


def blocks(
    path: Path, start: int, digest: Any, size: int | None = None
) -> Iterator[tuple[int, int]]:
    """Byte ranges of whole records: each ends after a newline outside quotes.

    The file is read once, in order, and fed to ``digest`` (the batch's SHA-256)."""
    size = size or BLOCK_BYTES
    with path.open("rb") as f:
        digest.update(f.read(start))
        position, carry = start, b""
        while True:
            data = f.read(size)
            digest.update(data)
            if not data:
                if carry:
                    yield position, position + len(carry)
                return
            carry += data
            cut = _last_boundary(carry)
            if cut is None:
                continue  # one record longer than a block: read on
            yield position, position + cut
            position += cut
            carry = carry[cut:]


def _last_boundary(data: bytes) -> int | None:
    """Just after the last newline of ``data`` with an even number of quotes before it."""
    quotes_at_end = data.count(b'"')
    newline = data.rfind(b"\n")
    while newline >= 0:
        after = data.count(b'"', newline + 1)
        if (quotes_at_end - after) % 2 == 0:
            return newline + 1
        newline = data.rfind(b"\n", 0, newline)
    return None


def _die_with_parent() -> None:
    """A worker ends when the import's process does, even on ``kill -9`` (Linux prctl).

    It also keeps the cycle collector off, as the import itself does (core.py)."""
    gc.disable()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when their pipe closes
        return
    if os.getppid() != _PARENT:  # the parent died before the signal was asked for
        os._exit(1)


# The checker of the import being run, inherited by the forked workers.
_CHECKER: RowChecker | None = None
_TABLE: Table | None = None
_PARENT = 0


def _judge_block(start: int, end: int) -> BlockResult | str:
    """In a worker: read ``start:end`` and judge its rows (numbered from 1 in the block)."""
    checker, table = _CHECKER, _TABLE
    assert checker is not None
    assert table is not None
    try:
        with table.path.open("rb") as f:
            f.seek(start)
            raw = f.read(end - start)
        decoder = codecs.getincrementaldecoder(table.encoding or "utf-8")()
        text = decoder.decode(raw, final=True)
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=table.delimiter or ",", strict=True
        )
        judged: list[tuple[Any, ...]] = []
        records = 0
        for records, cells in enumerate(reader, start=1):
            found = checker.judge(records, cells)
            status = found.status
            code = status.value if isinstance(status, ResponseStatus) else status
            if found.text is not None and not found.problems:
                # a valid row, in five fields (rows.settle): quoted here, not where it is written
                judged.append((records, code, _quoted(found.text), found.who, found.times))
            else:  # a plain tuple: far cheaper to send back than a NamedTuple
                judged.append((records, code, *found[2:]))
    except (csv.Error, UnicodeDecodeError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"  # the caller falls back to one pass
    return BlockResult(records, judged, end, dict(checker.decoder.notes))


def judged_blocks(
    table: Table, checker: RowChecker, skip: int, workers: int
) -> Iterator[tuple[int, BlockResult]]:
    """(number of the record before the block, its result), block after block, in order.

    Sets ``table.sha256`` once the whole file has been read."""
    global _CHECKER, _TABLE, _PARENT
    _CHECKER, _TABLE, _PARENT = checker, table, os.getpid()
    start = data_start(table, skip)
    context = multiprocessing.get_context("fork")
    pool: Pool = context.Pool(workers, initializer=_die_with_parent)
    digest = hashlib.sha256()
    try:
        pending: deque[AsyncResult[BlockResult | str]] = deque()
        ranges = blocks(table.path, start, digest)
        before = skip
        exhausted = False
        while True:
            while not exhausted and len(pending) < workers * IN_FLIGHT:
                span = next(ranges, None)
                if span is None:
                    exhausted = True
                else:
                    pending.append(pool.apply_async(_judge_block, span))
            if not pending:
                table.sha256 = digest.hexdigest()
                return
            result = pending.popleft().get()
            if isinstance(result, str):
                raise Fallback(result)
            yield before, result
            before += result.records
    finally:
        pool.terminate()
        pool.join()
        _CHECKER = _TABLE = None


__all__ = ["BlockResult", "Fallback", "judged_blocks", "usable", "worker_count"]
