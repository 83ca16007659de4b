"""Turn one row of cells into answers, following a ColumnPlan.

The plan is compiled once into one small function per question, because a large
import reads every cell of every row: this is the hot loop of ``survey import``.
Problems found while reading (a rank given twice, a mark that is neither yes nor no)
are reported like validation problems, with the column they came from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from innostudy.survey.importing.cells import (
    ChoiceLookup,
    binary_values,
    date_text,
    mark,
    norm,
    number,
    split_choices,
)
from innostudy.survey.importing.dates import ColumnDates
from innostudy.survey.importing.plan import (
    ColumnPlan,
    Item,
    Mark,
    RankAt,
    RankOf,
    Whole,
)
from innostudy.survey.instrument import Instrument, Question, QuestionType


@dataclass(frozen=True)
class CellProblem:
    """Something wrong with one answer in one row; ``field`` is the question (or part)."""

    field: str
    column: str
    value: str
    reason: str


Problems = list[CellProblem]
Reader = Callable[[Sequence[str], Problems], Any]  # the answer, or None when unanswered


B = TypeVar("B", Whole, Mark, RankOf, RankAt, Item)


def _cells(plan: ColumnPlan, question: str, kind: type[B]) -> list[tuple[int, B]]:
    return [
        (i, b) for i, b in plan.answers.items() if b.question == question and isinstance(b, kind)
    ]


class RowDecoder:
    """``decode(cells)`` gives the answers dict (instrument order) and any reading problems.

    ``notes`` collects, once per column, what was read in a way the instrument did not
    state (``TRUE`` for a choice coded 1), for the import summary.
    """

    def __init__(
        self, plan: ColumnPlan, instrument: Instrument, dates: ColumnDates | None = None
    ) -> None:
        self.plan = plan
        self.dates = dates
        self.notes: dict[str, str] = {}
        self.readers: list[tuple[str, Reader]] = []
        for q in instrument.questions():
            reader = self._reader(q)
            if reader is not None:
                self.readers.append((q.key, reader))

    def decode(self, cells: Sequence[str]) -> tuple[dict[str, Any], Problems]:
        answers: dict[str, Any] = {}
        problems: Problems = []
        for key, read in self.readers:
            value = read(cells, problems)
            if value is not None:
                answers[key] = value
        return answers, problems

    def _lookup(self, q: Question) -> ChoiceLookup:
        lookup = ChoiceLookup.of(q.choices)
        for raw, value in self.plan.recodes.get(q.key, {}).items():
            lookup.by_value[raw] = value
        return lookup

    def _reader(self, q: Question) -> Reader | None:
        whole = _cells(self.plan, q.key, Whole)
        if whole:
            return self._whole(q, whole[0][0])
        if q.type is QuestionType.MULTI_CHOICE:
            marks = _cells(self.plan, q.key, Mark)
            return self._marks(q, marks) if marks else None
        if q.type is QuestionType.RANKING:
            rank_of = _cells(self.plan, q.key, RankOf)
            if rank_of:
                return self._rank_of(q, rank_of)
            rank_at = _cells(self.plan, q.key, RankAt)
            return self._rank_at(q, rank_at) if rank_at else None
        if q.type is QuestionType.LIKERT_MATRIX:
            items = _cells(self.plan, q.key, Item)
            return self._items(q, items) if items else None
        return None

    def _whole(self, q: Question, index: int) -> Reader:
        t = q.type
        if t in (QuestionType.TEXT, QuestionType.LONG_TEXT):
            return lambda cells, _p: cells[index] or None
        if t.is_numeric:
            comma = self.plan.decimal_comma
            return lambda cells, _p: (
                number(cells[index], decimal_comma=comma) if cells[index].strip() else None
            )
        if t is QuestionType.DATE:
            return self._date(index)
        lookup = self._lookup(q)
        if t in (QuestionType.MULTI_CHOICE, QuestionType.RANKING):
            return self._list(q, index, lookup)
        exact = lookup.by_value
        yes_no = binary_values(q)
        column = self.plan.columns[index]

        def read(cells: Sequence[str], _p: Problems) -> str | None:
            cell = cells[index]
            found = exact.get(cell)
            if found is not None:
                return found
            if not cell.strip():
                return None
            found = lookup.find(cell)
            if found is None and yes_no is not None:
                found = yes_no.get(norm(cell))
                if found is not None and column not in self.notes:
                    self.notes[column] = (
                        f"{column}: '{cell.strip()}' and the like read as the choices coded "
                        "1 (true, yes) and 0 (false, no)"
                    )
            return found if found is not None else cell.strip()

        return read

    def _date(self, index: int) -> Reader:
        dates = self.dates

        def read(cells: Sequence[str], _p: Problems) -> str | None:
            cell = cells[index].strip()
            if not cell:
                return None
            if len(cell) == 10 and cell[4] == "-":
                return cell  # ISO already; the validator checks it
            order = dates.order(index, cell) if dates is not None else None
            return date_text(cell, order)

        return read

    def _list(self, q: Question, index: int, lookup: ChoiceLookup) -> Reader:
        separators = self.plan.list_separators
        order = {c.value: n for n, c in enumerate(q.choices)}
        in_order = q.type is QuestionType.MULTI_CHOICE

        def read(cells: Sequence[str], _p: Problems) -> list[str] | None:
            values = split_choices(cells[index], lookup, separators)
            if in_order:  # multi-choice answers are kept in the choice list's order
                values.sort(key=lambda v: order.get(v, len(order)))
            return values or None

        return read

    def _marks(self, q: Question, marks: list[tuple[int, Mark]]) -> Reader:
        columns = self.plan.columns
        order = [c.value for c in q.choices]
        slots = []
        for index, b in sorted(marks, key=lambda m: order.index(m[1].choice)):
            choice = q.choice(b.choice)
            assert choice is not None
            slots.append((index, choice.value, choice))

        def read(cells: Sequence[str], problems: Problems) -> list[str] | None:
            chosen: list[str] = []
            for index, value, choice in slots:
                cell = cells[index]
                if cell == "1":
                    chosen.append(value)
                elif cell == "0" or cell == "":
                    continue
                else:
                    ticked = mark(cell, choice)
                    if ticked is None:
                        problems.append(
                            CellProblem(
                                f"{q.key}/{value}",
                                columns[index],
                                cell,
                                f"'{cell.strip()}' is neither a tick (1, Y, yes, checked) "
                                "nor a blank (0, N, no)",
                            )
                        )
                    elif ticked:
                        chosen.append(value)
            return chosen or None

        return read

    def _rank_of(self, q: Question, ranks: list[tuple[int, RankOf]]) -> Reader:
        columns = self.plan.columns
        slots = [(i, b.choice) for i, b in ranks]

        def read(cells: Sequence[str], problems: Problems) -> list[str] | None:
            given: dict[int, str] = {}
            for index, choice in slots:
                cell = cells[index].strip()
                if not cell:
                    continue
                rank = number(cell)
                if not isinstance(rank, int) and not (
                    isinstance(rank, float) and rank.is_integer()
                ):
                    problems.append(
                        CellProblem(
                            f"{q.key}/{choice}",
                            columns[index],
                            cell,
                            "a rank must be a whole number",
                        )
                    )
                    return None
                rank = int(rank)
                if rank < 1 or rank in given:
                    reason = (
                        "a rank must be 1 or more"
                        if rank < 1
                        else f"rank {rank} is given to both '{given[rank]}' and '{choice}'"
                    )
                    problems.append(CellProblem(f"{q.key}/{choice}", columns[index], cell, reason))
                    return None
                given[rank] = choice
            return _in_rank_order(q, given, problems, columns[slots[0][0]] if slots else "")

        return read

    def _rank_at(self, q: Question, positions: list[tuple[int, RankAt]]) -> Reader:
        lookup = self._lookup(q)
        slots = sorted((b.position, i) for i, b in positions)
        columns = self.plan.columns

        def read(cells: Sequence[str], problems: Problems) -> list[str] | None:
            given = {pos: lookup(cells[i]) for pos, i in slots if cells[i].strip()}
            first_column = columns[slots[0][1]] if slots else ""
            return _in_rank_order(q, given, problems, first_column)

        return read

    def _items(self, q: Question, items: list[tuple[int, Item]]) -> Reader:
        lookup = self._lookup(q)
        order = [i.key for i in q.items]
        slots = sorted(((b.item, i) for i, b in items), key=lambda s: order.index(s[0]))

        exact = lookup.by_value

        def read(cells: Sequence[str], _p: Problems) -> dict[str, str] | None:
            levels = {}
            for item, i in slots:
                cell = cells[i]
                found = exact.get(cell)
                if found is not None:
                    levels[item] = found
                elif cell.strip():
                    levels[item] = lookup(cell)
            return levels or None

        return read


def _in_rank_order(
    q: Question, given: dict[int, str], problems: Problems, column: str
) -> list[str] | None:
    if not given:
        return None
    expected = list(range(1, len(given) + 1))
    if sorted(given) != expected:
        missing = next(r for r in expected if r not in given)
        problems.append(
            CellProblem(
                q.key,
                column,
                ", ".join(f"{v}={r}" for r, v in sorted(given.items())),
                f"ranks must run 1, 2, 3… without gaps (rank {missing} is missing)",
            )
        )
        return None
    return [given[r] for r in expected]
