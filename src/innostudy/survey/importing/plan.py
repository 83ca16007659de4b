"""Which column of a response file holds which answer, and how the organisation is named.

Every format (Qualtrics, LimeSurvey, Kobo, REDCap, SPSS, plain CSV) turns its header
into a ``ColumnPlan``; from there on, all formats are read by the same code
(``decoding.RowDecoder``), validated by the same validator and written the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from innostudy.errors import InputError
from innostudy.model import ResponseStatus

if TYPE_CHECKING:
    from innostudy.survey.importing.tables import Table


@dataclass(frozen=True)
class Whole:
    """The whole answer in one cell (for multi-choice and ranking: a list in one cell)."""

    question: str


@dataclass(frozen=True)
class Mark:
    """One column per choice of a multi-choice question: ticked or not."""

    question: str
    choice: str


@dataclass(frozen=True)
class RankOf:
    """One column per choice of a ranking, holding that choice's rank."""

    question: str
    choice: str


@dataclass(frozen=True)
class RankAt:
    """One column per position of a ranking, holding the choice ranked there."""

    question: str
    position: int


@dataclass(frozen=True)
class Item:
    """One item of a Likert matrix."""

    question: str
    item: str


Binding = Whole | Mark | RankOf | RankAt | Item

# Columns that say which organisation a row is from, and its status.
TOKEN = "token"
EXTERNAL_ID = "external_id"
NAME = "organisation"
TYPE = "organisation_type"
STATUS = "status"
IDENTITY_ROLES = (TOKEN, EXTERNAL_ID, NAME, TYPE)
# The survey tool's own id of a response: names an anonymous respondent when nothing else does.
RESPONSE_ID = "response_id"
# The respondent's own times (see model.Response): started, submitted, recorded by the tool.
STARTED = "started_at"
SUBMITTED = "submitted_at"
RECEIVED = "received_at"
TIME_ROLES = (STARTED, SUBMITTED, RECEIVED)

# A status rule reads the row and gives its status, or a sentence saying what is wrong.
StatusRule = Callable[[Sequence[str]], "ResponseStatus | str"]
# A row filter gives a reason to leave a row out (a survey preview, a test response).
RowFilter = Callable[[Sequence[str]], "str | None"]


@dataclass
class ColumnPlan:
    format: str
    columns: list[str]
    answers: dict[int, Binding] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    status_rule: StatusRule | None = None
    status_field: str = STATUS
    skip_row: RowFilter | None = None
    ignored: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    header_rows: int = 1
    list_separators: tuple[str, ...] = (";", "|", ",")
    decimal_comma: bool = False
    recodes: dict[str, dict[str, str]] = field(default_factory=dict)
    # Time zones a file states for its time columns (Qualtrics' ImportId row), by column;
    # times without one are read in the import's time zone (docs/survey-import.md).
    zones: dict[int, str] = field(default_factory=dict)
    # Cells that mean "no value" in this file besides the empty cell (R writes NA).
    missing: frozenset[str] = frozenset()
    # Columns read alongside others: REDCap's survey timestamps, one per form (latest wins).
    more_times: dict[str, list[int]] = field(default_factory=dict)
    # What the file holds that is not read, by name, for the summary (Qualtrics loops…).
    notes: list[str] = field(default_factory=list)

    def bind(self, index: int, binding: Binding) -> None:
        self.answers[index] = binding

    def claim(self, index: int, role: str | None) -> bool:
        """Take the column for ``role`` (token, organisation…) unless another already has it."""
        if role is None or role in self.roles:
            return False
        self.roles[role] = index
        return True

    def place(self, index: int, binding: Binding | None) -> None:
        """Bind the column to its answer, or list it as unmapped."""
        if binding is not None:
            self.answers[index] = binding
        else:
            self.unmapped.append(self.columns[index])

    def bound_questions(self) -> set[str]:
        return {b.question for b in self.answers.values()}

    def column_of(self, question: str, part: str | None = None) -> str:
        """The file column to name in a message about ``question`` (or one part of it)."""
        fallback = ""
        for index, b in self.answers.items():
            if b.question != question:
                continue
            sub = getattr(b, "choice", None) or getattr(b, "item", None)
            if part is None or sub == part:
                return self.columns[index]
            fallback = fallback or self.columns[index]
        return fallback


_WORDS = {
    ResponseStatus.SUBMITTED: {"submitted", "complete", "completed", "finished", "done", "final"},
    ResponseStatus.DRAFT: {
        "draft",
        "partial",
        "incomplete",
        "in progress",
        "unfinished",
        "started",
    },
    ResponseStatus.INVITED: {"invited", "not started"},
}


def status_words(
    index: int,
    extra: dict[str, ResponseStatus] | None = None,
    default: ResponseStatus | None = None,
) -> StatusRule:
    """A status column in words (``submitted``, ``draft``…), plus any the mapping file adds."""
    lookup = {w: status for status, words in _WORDS.items() for w in words}
    lookup |= {k.strip().casefold(): v for k, v in (extra or {}).items()}

    def read(cells: Sequence[str]) -> ResponseStatus | str:
        text = cells[index].strip()
        found = lookup.get(text.casefold())
        if found is not None:
            return found
        if not text and default is not None:
            return default
        allowed = ", ".join(sorted({*_WORDS[ResponseStatus.SUBMITTED], "draft", "invited"}))
        return f"'{text}' is not a status (use one of: {allowed})"

    return read


def name_column(plan: ColumnPlan, column: str, table: Table) -> None:
    """``--organisation-column``: the column that names each row's organisation."""
    wanted = column.strip().casefold()
    found = [i for i, name in enumerate(plan.columns) if name.strip().casefold() == wanted]
    if not found:
        raise InputError(
            table.path,
            plan.header_rows,
            column,
            f"--organisation-column: no column is called '{column}' "
            f"(the columns are: {', '.join(plan.columns[:12])}…)",
        )
    plan.roles[NAME] = found[0]
