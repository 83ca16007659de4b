"""Import a response file: read, check every row, and write all of it or none of it.

::

    file ─ tables ─> records ─ RowChecker ───────────> accepted rows ─ ResponseWriter ─> database
                      (chunks)   │ fast path, or RowDecoder          (a second thread on SQLite)
                                 │   + CompiledInstrument
                                 │ OrganisationIndex: whose row is it
                                 └─> problems ─> Quarantine (CSV; RejectedRows with --skip-invalid)

The caller's transaction holds the whole import. Strict (the default): one problem
anywhere and ``ImportRejected`` is raised after the whole file has been checked, so
the caller's transaction rolls back and every problem is in the quarantine. With
``skip_invalid`` the valid rows are written and the others quarantined and kept as
RejectedRows. ``dry_run`` writes nothing. Rows are streamed, never held all at once.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from innostudy.errors import InputError
from innostudy.model import ImportBatch, ImportKind
from innostudy.survey.importing.checks import check_plan
from innostudy.survey.importing.dates import ColumnDates
from innostudy.survey.importing.file_dates import file_dates
from innostudy.survey.importing.formats import choose_format
from innostudy.survey.importing.identity import OrganisationIndex
from innostudy.survey.importing.moments import TimeReader
from innostudy.survey.importing.parallel import Fallback, judged_blocks, usable, worker_count
from innostudy.survey.importing.plan import ColumnPlan, name_column
from innostudy.survey.importing.quarantine import Quarantine, RowProblem, store_rejected
from innostudy.survey.importing.rows import Chunk, RowChecker
from innostudy.survey.importing.tables import Table, open_table
from innostudy.survey.importing.writer import Outcome, ResponseWriter
from innostudy.survey.instrument import Instrument
from innostudy.survey.mapping import apply_mapping, load_mapping

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    format: str = "auto"
    mapping: Path | None = None
    skip_invalid: bool = False
    dry_run: bool = False
    allow_new_organisations: bool = True
    organisation_type: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    quarantine: Path | None = None
    actor: str = ""
    keep_formulas: bool = False  # in the quarantine file (innostudy.cells)
    chunk_rows: int = 5000
    beside_submitted: bool = False
    date_format: str | None = None
    timezone: str | None = None
    organisation_column: str | None = None
    # processes that check rows of a large CSV while this one writes (parallel.py);
    # 0: as many as the machine has cores for, at most 4 ($INNOSTUDY_IMPORT_WORKERS)
    workers: int = 0


@dataclass
class ImportReport:
    file: str
    format: str = ""
    encoding: str | None = None
    rows: int = 0
    empty_rows: int = 0
    left_out: int = 0
    anonymous: int = 0
    timezone: str = ""
    times_read: bool = False
    notes: list[str] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)
    rejected_rows: int = 0
    problem_count: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    batch_id: int | None = None
    quarantine: Path | None = None
    dry_run: bool = False

    @property
    def imported(self) -> int:
        o = self.outcome
        return o.created + o.updated + o.unchanged + o.beside


class ImportRejected(InputError):
    """A strict import found problems: nothing may be written. Names the first problem."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        first = report.problems[0]
        more = report.problem_count - 1
        tail = []
        if more:
            tail.append(f"and {more} more problem{'s' if more > 1 else ''}")
        tail.append("nothing imported")
        if report.quarantine is not None:
            tail.append(f"all listed in {report.quarantine}")
        message = f"{first.reason} ({'; '.join(tail)})"
        super().__init__(report.file, first.row, first.field or None, message, unit="row")


def import_responses(
    session: Session,
    path: Path,
    instrument: Instrument,
    options: ImportOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import ``path`` into the study in ``session``'s transaction (see module docstring)."""
    options = options or ImportOptions()
    table = open_table(path, encoding=options.encoding, delimiter=options.delimiter)
    plan = plan_for(table, instrument, options)
    options = replace(options, workers=options.workers or worker_count())
    with _without_cycle_collection():
        return _import(session, table, plan, instrument, options, progress)


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while rows stream through.

    An import makes millions of short-lived objects and holds few cycles; the collector
    kept rescanning the growing heap of a large import (a third of the time that writing
    took, measured at 200,000 rows). Reference counting still frees everything at once.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _import(
    session: Session,
    table: Table,
    plan: ColumnPlan,
    instrument: Instrument,
    options: ImportOptions,
    progress: ProgressCallback | None,
) -> ImportReport:
    if options.workers > 1:
        attempt = session.begin_nested()  # a split that fails verification is undone
        try:
            report = _Run(session, table, plan, instrument, options).go(progress)
        except Fallback:
            attempt.rollback()
            session.expire_all()
        else:
            attempt.commit()
            return report
    sequential = replace(options, workers=1)
    return _Run(session, table, plan, instrument, sequential).go(progress)


def plan_for(table: Table, instrument: Instrument, options: ImportOptions) -> ColumnPlan:
    """The file's columns matched to the instrument (format detection, then the mapping)."""
    mapping = load_mapping(options.mapping, instrument) if options.mapping else None
    fmt = choose_format(
        table,
        options.format if options.format != "auto" or mapping is None else mapping.format or "auto",
    )
    plan = fmt.plan(table, instrument)
    if mapping is not None:
        apply_mapping(mapping, plan)
    if options.organisation_column:
        name_column(plan, options.organisation_column, table)
    check_plan(plan, instrument, table)
    return plan


class _Run:
    def __init__(
        self,
        session: Session,
        table: Table,
        plan: ColumnPlan,
        instrument: Instrument,
        options: ImportOptions,
    ) -> None:
        self.session = session
        self.table = table
        self.plan = plan
        self.options = options
        self.instrument = instrument
        self.report = ImportReport(
            str(table.path),
            format=plan.format,
            encoding=table.encoding,
            unmapped=list(plan.unmapped),
            ignored=list(plan.ignored),
            dry_run=options.dry_run,
        )
        self.quarantine = Quarantine(options.quarantine, options.keep_formulas)
        self.writing = not options.dry_run

    def go(self, progress: ProgressCallback | None) -> ImportReport:
        session, options = self.session, self.options
        session.flush()
        index = OrganisationIndex.load(
            session,
            allow_new=options.allow_new_organisations,
            default_type=options.organisation_type,
            source=self.plan.format,
        )
        batch = None if options.dry_run else self._open_batch()
        self.writer = ResponseWriter(
            session.connection(),
            batch_id=batch.id if batch is not None else None,
            source_file=self.table.path.name,
            actor=options.actor,
            instrument_version=self.instrument.version,
            dry_run=options.dry_run,
            beside_submitted=options.beside_submitted,
        )
        skip = self.plan.header_rows + (1 if self.table._merged_header else 0)
        dates, times = self._dates_and_times(skip)
        checker = RowChecker(
            self.plan,
            self.instrument,
            index,
            keep_raw=options.skip_invalid and not options.dry_run,
            dates=dates,
            times=times,
        )
        self.checker = checker
        try:
            for chunk in self._chunks(checker, skip):
                self._take(chunk)
                if progress is not None:
                    progress(chunk.done, chunk.total)
            self.writer.close()
        except BaseException:
            self.quarantine.discard()
            _stop(self.writer)
            raise
        return self._finish(batch)

    def _chunks(self, checker: RowChecker, skip: int) -> Iterator[Chunk]:
        """Chunks of checked rows: from worker processes for a large CSV, else in order here."""
        table, options = self.table, self.options
        if not usable(table, checker, options.workers):
            yield from checker.chunks(table, skip, options.chunk_rows)
            return
        size = table.path.stat().st_size
        for before, block in judged_blocks(table, checker, skip, options.workers):
            chunk = Chunk(done=block.end, total=size)
            for judged in block.judged:
                checker.settle(chunk, judged, before)
            checker.decoder.notes.update(block.notes)
            yield chunk

    def _dates_and_times(self, skip: int) -> tuple[ColumnDates, TimeReader]:
        """Day/month order per date column (decided on the whole column) and time zones."""
        dates, times, zone = file_dates(
            self.table,
            self.plan,
            self.instrument,
            skip,
            date_format=self.options.date_format,
            timezone=self.options.timezone,
        )
        self.report.timezone = zone
        self.report.times_read = times.active and times.defaulted
        return dates, times

    def _take(self, chunk: Chunk) -> None:
        report = self.report
        report.rows += chunk.rows
        report.empty_rows += chunk.empty_rows
        report.left_out += chunk.left_out
        report.anonymous += chunk.anonymous
        for problems, _ in chunk.rejected:
            self.quarantine.add(problems)
        if chunk.rejected and not self.options.skip_invalid:
            self.writing = False  # strict: this import will be refused; stop writing
        if chunk.accepted and (self.writing or self.options.dry_run):
            written = self.writer.write(chunk.accepted)
            report.outcome.add(written)
            self._refuse(written.refusals)
        if chunk.rejected and self.options.skip_invalid and not self.options.dry_run:
            self._keep_rejected(chunk.rejected)

    def _refuse(self, refusals: list[RowProblem]) -> None:
        """Rows the writer would not apply (a submitted response): rejected like bad rows.

        Their cells are not kept past checking, so the stored row holds what was read
        from them: the status and the answers as JSON."""
        if not refusals:
            return
        for problem in refusals:
            self.quarantine.add([problem])
        if not self.options.skip_invalid:
            self.writing = False
        elif not self.options.dry_run:
            self._keep_rejected([([p], {"status": p.value}) for p in refusals])

    def _keep_rejected(self, rows: list[tuple[list[RowProblem], dict[str, str]]]) -> None:
        batch_id = self.writer.batch_id
        assert batch_id is not None
        self.writer.drain()
        store_rejected(self.writer.conn, batch_id, rows)

    # -- bookkeeping ---------------------------------------------------------------------

    def _open_batch(self) -> ImportBatch:
        batch = ImportBatch(
            kind=ImportKind.RESPONSES,
            file_name=self.table.path.name,
            file_sha256="",
            file_format=self.plan.format,
            actor=self.options.actor,
        )
        self.session.add(batch)
        self.session.flush()
        return batch

    def _finish(self, batch: ImportBatch | None) -> ImportReport:
        report = self.report
        report.problem_count = self.quarantine.count
        report.rejected_rows = self.quarantine.rejected_rows
        report.problems = list(self.quarantine.problems)
        report.notes = self.plan.notes[:5] + list(self.checker.decoder.notes.values())
        report.quarantine = self.quarantine.finish()
        if report.problem_count and not self.options.skip_invalid:
            raise ImportRejected(report)
        self.session.expire_all()
        if batch is not None:
            outcome = report.outcome
            if outcome.created + outcome.updated + outcome.beside == 0 and not report.rejected_rows:
                self.session.delete(batch)  # nothing changed: a re-import adds nothing
            else:
                batch.file_sha256 = self.table.sha256
                batch.rows_total = report.rows
                batch.rows_imported = report.imported
                batch.rows_rejected = report.rejected_rows
                batch.detail = _detail(report)
                report.batch_id = batch.id
            self.session.flush()
        return report


def _detail(report: ImportReport) -> dict[str, Any]:
    o = report.outcome
    return {
        "encoding": report.encoding,
        "created": o.created,
        "updated": o.updated,
        "unchanged": o.unchanged,
        "new_organisations": o.new_organisations,
        "beside_submissions": o.beside,
        "unidentified": report.anonymous,
        "timezone": report.timezone if report.times_read else None,
        "notes": report.notes,
        "empty_rows": report.empty_rows,
        "left_out": report.left_out,
        "problems": report.problem_count,
        "unmapped": report.unmapped,
        "ignored": report.ignored,
        "quarantine": str(report.quarantine) if report.quarantine else None,
    }


def _stop(writer: ResponseWriter) -> None:
    """Stop the background writer while an error is on its way out; its own error is moot."""
    try:
        writer.close()
    except Exception:  # the import already failed; the first error is the one to report
        return None
    return None
