"""The quarantine: every problem of an import, one per line, for people to read and fix.

Problems stream to a CSV as they are found (a bad file of a million rows must not
fill memory); the report keeps the first few for printing. With --skip-invalid the
rejected rows are also stored as RejectedRow records on the import batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from innostudy.atomic import StagedFile
from innostudy.cells import csv_writer
from innostudy.model import RejectedRow

QUARANTINE_COLUMNS = ("row", "column", "field", "value", "reason")
KEEP_IN_REPORT = 200
_REJECTED = cast(sa.Table, RejectedRow.__table__)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    field: str
    value: str
    reason: str

    def sentence(self, file: str) -> str:
        where = [file, f"row {self.row}"]
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.reason}"


@dataclass
class Quarantine:
    """Collects problems; writes them to ``path`` (if given) when the import ends."""

    path: Path | None
    keep_formulas: bool = False
    problems: list[RowProblem] = field(default_factory=list)
    count: int = 0
    rejected_rows: int = 0
    _file: IO[str] | None = None
    _writer: Any = None
    _staged: StagedFile | None = None

    def add(self, problems: list[RowProblem]) -> None:
        if not problems:
            return
        self.rejected_rows += 1
        self.count += len(problems)
        room = KEEP_IN_REPORT - len(self.problems)
        if room > 0:
            self.problems.extend(problems[:room])
        if self.path is not None:
            if self._writer is None:
                self._open()
            self._writer.writerows((p.row, p.column, p.field, p.value, p.reason) for p in problems)

    def _open(self) -> None:
        assert self.path is not None
        self._staged = StagedFile(self.path)
        self._file = self._staged.temp.open("w", encoding="utf-8", newline="")
        self._writer = csv_writer(self._file, keep_formulas=self.keep_formulas)
        self._writer.writerow(QUARANTINE_COLUMNS)

    def finish(self) -> Path | None:
        """Move the finished quarantine file into place; None when there was nothing to say."""
        if self._file is None or self._staged is None:
            return None
        self._file.close()
        self._file = None
        return self._staged.commit()

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._staged is not None:
            self._staged.discard()


def store_rejected(
    conn: Connection, batch_id: int, rows: list[tuple[list[RowProblem], dict[str, str]]]
) -> None:
    """RejectedRow records: one per problem, each with the row's cells as they were read."""
    params = [
        {
            "batch_id": batch_id,
            "row_number": p.row,
            "field": p.field[:200],
            "value": p.value,
            "reason": p.reason,
            "raw": raw,
        }
        for problems, raw in rows
        for p in problems
    ]
    if params:
        conn.execute(sa.insert(_REJECTED), params)
