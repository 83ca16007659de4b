"""Check the rows of a response file, chunk by chunk: read, validate, find the organisation.

A ``RowChecker`` touches no database: it turns records into accepted rows and
problems, while the writer (sqlite_bulk.py) stores the previous chunk on the other
core. Each row goes through the generated fast path first and through the reference
path (RowDecoder + CompiledInstrument) when the fast path is not sure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from innostudy.model import ResponseStatus
from innostudy.survey.answers import AnswerProblem
from innostudy.survey.compiled import CompiledInstrument
from innostudy.survey.importing.dates import ColumnDates
from innostudy.survey.importing.decoding import CellProblem, RowDecoder
from innostudy.survey.importing.fastpath import compile_fast_check
from innostudy.survey.importing.identity import OrganisationIndex, Refused
from innostudy.survey.importing.moments import BadTime, TimeReader, Times
from innostudy.survey.importing.plan import (
    EXTERNAL_ID,
    NAME,
    RESPONSE_ID,
    TOKEN,
    TYPE,
    ColumnPlan,
)
from innostudy.survey.importing.quarantine import RowProblem
from innostudy.survey.importing.tables import Table
from innostudy.survey.importing.writer import Accepted
from innostudy.survey.instrument import Instrument

SUBMITTED = ResponseStatus.SUBMITTED
DRAFT = ResponseStatus.DRAFT


# What a row turned out to be before its organisation is known (Judged.status).
EMPTY, LEFT_OUT, REFUSED = "empty", "left out", "refused"
_STATUS = {s.value: s for s in ResponseStatus}


class Judged(NamedTuple):
    """One row, checked: its status (or EMPTY, LEFT_OUT, REFUSED), answers or problems.

    ``who`` are the cells that name its organisation; ``settle`` resolves them in file
    order. A row with problems has ``status`` None (or REFUSED when it was not a row).
    ``quoted`` is the answers' JSON already quoted as a JSON string (set by workers).
    """

    row: int
    status: ResponseStatus | str | None
    answers: dict[str, Any] | None = None
    text: str | None = None
    times: Times | None = None
    who: tuple[str, str, str, str, str] = ("", "", "", "", "")
    problems: list[RowProblem] = []  # noqa: RUF012 - a NamedTuple default, never mutated
    raw: dict[str, str] = {}  # noqa: RUF012
    quoted: str | None = None


@dataclass
class Chunk:
    """What a stretch of rows gave: rows to write, rows refused, and how far the file is read."""

    accepted: list[Accepted] = field(default_factory=list)
    rejected: list[tuple[list[RowProblem], dict[str, str]]] = field(default_factory=list)
    rows: int = 0
    empty_rows: int = 0
    left_out: int = 0
    anonymous: int = 0
    done: int = 0
    total: int = 0


class RowChecker:
    def __init__(
        self,
        plan: ColumnPlan,
        instrument: Instrument,
        index: OrganisationIndex,
        *,
        keep_raw: bool,
        dates: ColumnDates,
        times: TimeReader,
    ) -> None:
        self.plan = plan
        self.index = index
        self.keep_raw = keep_raw
        self.decoder = RowDecoder(plan, instrument, dates)
        self.compiled = CompiledInstrument(instrument)
        self.fast = compile_fast_check(plan, instrument)
        self.columns_of = _columns_of(plan)
        self.times = times if times.active else None
        self.missing = plan.missing
        roles = plan.roles
        self.role_index = [
            roles.get(TOKEN),
            roles.get(EXTERNAL_ID),
            roles.get(NAME),
            roles.get(TYPE),
            roles.get(RESPONSE_ID),
        ]

    def chunks(self, table: Table, skip: int, size: int) -> Iterator[Chunk]:
        chunk = Chunk()
        for number, cells in table.records(skip):
            self.settle(chunk, self.judge(number, cells))
            if len(chunk.accepted) + len(chunk.rejected) >= size:
                chunk.done, chunk.total = table.progress.done, table.progress.total
                yield chunk
                chunk = Chunk()
        chunk.done = chunk.total = table.progress.total
        yield chunk

    def judge(self, number: int, cells: list[str]) -> Judged:
        """Everything about a row except whose it is (that depends on the rows before it)."""
        if not any(cells):
            return Judged(number, EMPTY)
        width = len(self.plan.columns)
        if len(cells) != width:
            problem = _width_problem(number, len(cells), width)
            return Judged(number, REFUSED, problems=[problem], raw=self._raw(cells))
        skip_row = self.plan.skip_row
        if skip_row is not None and skip_row(cells) is not None:
            return Judged(number, LEFT_OUT)
        if self.missing:
            cells = ["" if c in self.missing else c for c in cells]
        rule = self.plan.status_rule
        status = SUBMITTED if rule is None else rule(cells)
        if status is SUBMITTED or status is DRAFT:
            fast = self.fast(cells, status is SUBMITTED)
            if fast is not None:
                times = self.times.read(cells) if self.times is not None else None
                if isinstance(times, BadTime):
                    problems = [_time_problem(number, times)]
                    return Judged(number, status, None, None, None, self._who(cells), problems)
                return Judged(number, status, fast[0], fast[1], times, self._who(cells))
        return self._judge_slowly(number, cells, status)

    def _judge_slowly(self, number: int, cells: list[str], status: ResponseStatus | str) -> Judged:
        """The reference path: read and judge the row, naming every problem."""
        plan = self.plan
        answers, cell_problems = self.decoder.decode(cells)
        problems: list[RowProblem] = []
        if isinstance(status, str):
            problems.append(RowProblem(number, plan.status_field, "status", "", status))
            complete = False
        else:
            complete = status is SUBMITTED
            if status is ResponseStatus.INVITED and answers:
                problems.append(
                    RowProblem(
                        number,
                        plan.status_field,
                        "status",
                        "invited",
                        "an invited organisation has no answers yet; say draft or submitted",
                    )
                )
        found = self.compiled.problems(answers, complete=complete)
        if cell_problems or found:
            problems += self._answer_problems(number, cell_problems, found)
        times = self.times.read(cells) if self.times is not None else None
        if isinstance(times, BadTime):
            problems.insert(0, _time_problem(number, times))
            times = None
        who = self._who(cells)
        if problems:
            return Judged(number, None, None, None, None, who, problems, self._raw(cells))
        assert not isinstance(status, str)
        return Judged(number, status, answers, None, times, who)

    def settle(self, chunk: Chunk, judged: tuple[Any, ...], before: int = 0) -> None:
        """Find whose the row is (in file order: one response per organisation) and file it.

        ``judged`` is a Judged, or the plain tuple a worker sends (parallel.py: rows counted
        from 1 in each block, ``before`` records ahead of it, the status as its value; a
        valid row as just (row, status, quoted answers, who, times)).
        """
        if len(judged) == 5:
            self._settle_valid(chunk, judged, before)
            return
        number, status, answers, text, times, who, problems, raw, quoted = judged
        if before:
            number += before
            status = _STATUS.get(status, status)
            if problems:
                problems = [replace(p, row=p.row + before) for p in problems]
        if status == EMPTY:
            chunk.empty_rows += 1
            return
        if status == LEFT_OUT:
            chunk.left_out += 1
            return
        if status == REFUSED:  # the row could not even be read as a row
            chunk.rejected.append((problems, raw))
            return
        chunk.rows += 1
        whose = self.index.resolve(number, *who)
        if isinstance(whose, Refused):
            problems = [*problems, self._refusal(number, whose)]
        if problems:
            chunk.rejected.append((problems, raw))
            return
        assert isinstance(status, ResponseStatus)
        assert not isinstance(whose, Refused)
        chunk.anonymous += whose.anonymous
        chunk.accepted.append(
            Accepted(number, whose.org_id, whose.new, status, answers, text, times, quoted)
        )

    def _settle_valid(self, chunk: Chunk, judged: tuple[Any, ...], before: int) -> None:
        """``settle`` for the common case, a valid row from a worker, without detours."""
        number, status, quoted, who, times = judged
        number += before
        chunk.rows += 1
        whose = self.index.resolve(number, *who)
        if isinstance(whose, Refused):
            chunk.rejected.append(([self._refusal(number, whose)], {}))
            return
        chunk.anonymous += whose.anonymous
        chunk.accepted.append(
            Accepted(number, whose.org_id, whose.new, _STATUS[status], None, None, times, quoted)
        )

    def _who(self, cells: Sequence[str]) -> tuple[str, str, str, str, str]:
        t, e, n, k, r = self.role_index
        return (
            cells[t] if t is not None else "",
            cells[e] if e is not None else "",
            cells[n] if n is not None else "",
            cells[k] if k is not None else "",
            cells[r] if r is not None else "",
        )

    def _refusal(self, number: int, whose: Refused) -> RowProblem:
        role = {
            "token": TOKEN,
            "external_id": EXTERNAL_ID,
            "organisation_type": TYPE,
            "response_id": RESPONSE_ID,
        }
        i = self.plan.roles.get(role.get(whose.field, NAME))
        column = self.plan.columns[i] if i is not None else ""
        return RowProblem(number, column, whose.field, whose.value, whose.reason)

    def _answer_problems(
        self, number: int, cell_problems: list[CellProblem], found: list[AnswerProblem]
    ) -> list[RowProblem]:
        problems = [RowProblem(number, p.column, p.field, p.value, p.reason) for p in cell_problems]
        unreadable = {p.field.split("/")[0] for p in cell_problems}
        for p in found:
            key, _, part = p.field.partition("/")
            if key in unreadable:
                continue  # already reported as unreadable; "is required" would mislead
            column = self.columns_of.get((key, part)) or self.columns_of.get((key, "")) or ""
            problems.append(RowProblem(number, column, p.field, _shown(p.value), p.message))
        return problems

    def _raw(self, cells: list[str]) -> dict[str, str]:
        """The row as it was read, kept with a rejected row (--skip-invalid)."""
        if not self.keep_raw:
            return {}
        names = self.plan.columns
        return {
            (names[i] if i < len(names) and names[i] else f"column {i + 1}"): value
            for i, value in enumerate(cells)
        }


def _columns_of(plan: ColumnPlan) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for i, b in plan.answers.items():
        part = getattr(b, "choice", None) or getattr(b, "item", None) or ""
        found.setdefault((b.question, part), plan.columns[i])
        found.setdefault((b.question, ""), plan.columns[i])
    return found


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _time_problem(number: int, bad: BadTime) -> RowProblem:
    return RowProblem(
        number,
        bad.column,
        bad.column,  # the file's name for it (StartDate), not ours (started_at)
        bad.value,
        f"'{bad.value}' is not a date and time (e.g. 2024-03-25 14:05 or 25/03/2024 14:05)",
    )


def _width_problem(number: int, got: int, width: int) -> RowProblem:
    cause = (
        "is the file cut short?"
        if got < width
        else "a delimiter inside a value that is not quoted?"
    )
    return RowProblem(
        number, "", "", "", f"the row has {got} cells but the header has {width} columns ({cause})"
    )
