"""Lists as a person reads them (aligned columns) or as a program reads them (JSON lines)."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from innostudy.cli.common import console


class ListFormat(enum.StrEnum):
    TEXT = "text"
    JSONL = "jsonl"


FormatOption = Annotated[ListFormat, typer.Option("--format", help="text or jsonl.")]


def print_jsonl(records: Sequence[dict[str, Any]]) -> None:
    for record in records:
        console.print(json.dumps(record, ensure_ascii=False, default=str), markup=False)


def print_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Aligned columns; the last column is left to wrap as it will."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    widths[-1] = 0
    for row in [list(header), *cells]:
        console.print(
            "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip(), markup=False
        )


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def emit(
    fmt: ListFormat,
    rows: Sequence[Any],
    header: Sequence[str],
    as_cells: Callable[[Any], Sequence[Any]],
) -> None:
    """Dataclass rows as JSON lines, or as a table of the cells ``as_cells`` picks."""
    if fmt is ListFormat.JSONL:
        print_jsonl([dataclasses.asdict(r) for r in rows])
    else:
        print_table(header, [as_cells(r) for r in rows])
