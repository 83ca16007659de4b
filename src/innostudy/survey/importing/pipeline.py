"""Run the row checker next to the database writer, so a large import uses two cores.

Reading, checking and serialising rows is pure Python; writing them is mostly the
database's own work. For a large file the checker runs in a worker process (started
with ``spawn``, which is safe whatever threads the parent has) and hands over chunks
through a bounded queue, while this process writes the previous chunk. Small files
are checked in-process: starting a worker costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innostudy.errors import InnostudyError, InputError
from innostudy.survey.importing.identity import OrganisationIndex
from innostudy.survey.importing.plan import ColumnPlan
from innostudy.survey.importing.rows import Chunk, RowChecker
from innostudy.survey.importing.tables import Table, open_table
from innostudy.survey.instrument import Instrument

PARALLEL_FROM_BYTES = 16 << 20
QUEUE_CHUNKS = 3
_POLL_SECONDS = 1.0


@dataclass(frozen=True)
class CheckJob:
    """Everything a worker needs to check a file the way this process would."""

    path: Path
    encoding: str | None
    delimiter: str | None
    skip: int
    chunk_rows: int
    keep_raw: bool
    lean: bool  # drop answers dicts the writer can read back from their JSON
    options: Any  # ImportOptions (its plan is rebuilt in the worker: plans hold closures)


def use_worker(table: Table, workers: int | None) -> bool:
    if workers is not None:
        return workers > 0
    return table.kind == "csv" and table.path.stat().st_size >= PARALLEL_FROM_BYTES


def checked_chunks(
    job: CheckJob,
    table: Table,
    plan: ColumnPlan,
    instrument: Instrument,
    index: OrganisationIndex,
    *,
    in_worker: bool,
) -> Iterator[Chunk]:
    if not in_worker:
        checker = RowChecker(plan, instrument, index, keep_raw=job.keep_raw)
        yield from checker.chunks(table, job.skip, job.chunk_rows)
        return
    yield from _from_worker(job, instrument, index, table)


def _from_worker(
    job: CheckJob, instrument: Instrument, index: OrganisationIndex, table: Table
) -> Iterator[Chunk]:
    context = multiprocessing.get_context("spawn")
    channel: Any = context.Queue(maxsize=QUEUE_CHUNKS)
    worker = context.Process(
        target=_work, args=(job, instrument, index, channel), name="innostudy-import", daemon=True
    )
    worker.start()
    try:
        while True:
            try:
                kind, payload = channel.get(timeout=_POLL_SECONDS)
            except queue_module.Empty:
                if not worker.is_alive():
                    raise InnostudyError(
                        f"{job.path}: the import worker stopped unexpectedly "
                        f"(exit code {worker.exitcode})"
                    ) from None
                continue
            if kind == "chunk":
                table.progress.done, table.progress.total = payload.done, payload.total
                yield payload
            elif kind == "input-error":
                raise InputError(*payload[:4], unit=payload[4])
            elif kind == "error":
                raise InnostudyError(payload)
            else:
                table.sha256 = payload
                return
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()
        channel.close()
        channel.join_thread()


def _work(job: CheckJob, instrument: Instrument, index: OrganisationIndex, channel: Any) -> None:
    """The worker: the same plan and checker as the parent would use, chunks to the queue."""
    from innostudy.survey.importing.core import plan_for

    try:
        table = open_table(job.path, encoding=job.encoding, delimiter=job.delimiter)
        plan = plan_for(table, instrument, job.options)
        checker = RowChecker(plan, instrument, index, keep_raw=job.keep_raw)
        for chunk in checker.chunks(table, job.skip, job.chunk_rows):
            if job.lean:
                chunk.accepted = [
                    a._replace(answers=None) if a.org_id is None and a.text is not None else a
                    for a in chunk.accepted
                ]
            channel.put(("chunk", chunk))
        channel.put(("done", table.sha256))
    except InputError as exc:
        p = exc.problem
        channel.put(("input-error", (p.file, p.row, p.field, p.message, p.unit)))
    except Exception as exc:  # reported by the parent as one line
        channel.put(("error", f"{job.path}: import worker failed: {type(exc).__name__}: {exc}"))
