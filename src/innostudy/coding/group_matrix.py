"""The code-by-group matrix: how many units of each focus group were coded with each code.

One computation serves the CLI (``code matrix group|sector``), the web app's matrix page
and the report's joint displays, so they cannot disagree. The rules:

* **What counts.** A person's accepted codings (``coding.coded``) on participants' turns
  whose words may be analysed (``coding.segments``); withdrawn participants are left out.
* **Units.** A cell counts *units*, each once however many codings it carries: turns
  (segments), participants (a participant counts once for a code however many of
  their turns carry it: "3 of the 8 people who spoke raised it") or groups ("2 of the
  7 groups"). Each column's ``units`` is the base that shares divide by: the usable
  participant turns, the participants with at least one usable turn (someone who never
  spoke cannot be told from someone absent), or the groups with any usable turn.
  ``UNIT_BASES`` names each base so that every view states its denominator.
* **Parent codes roll up.** A parent's row counts the units coded with the parent or
  with any code below it, each unit once: a turn coded with two children of "barriers"
  counts once for "barriers". Rows follow the codebook's order, every code included.
* **Columns.** Focus groups in group-type order, then one total per sector present
  ("All civil service", "All comparison"), so the study's central contrast reads
  directly. Participants who are in no focus group count in no column.
* **Denominators.** Groups do not speak equally, so every column carries its bases: its
  units (turns), the words spoken in them, and the participants present (those with a
  usable turn; someone who attended but never spoke cannot be told apart from someone
  absent). Every row carries, per column, the words in its coded turns and the
  participants who raised it, so "3 of 8 people, 6% of the group's words" can be said.
* **Whose coding.** ``coders`` picks the codings that count; the report, the CLI and the
  web app pass the study's main coding (``coding.coded.main_coding``) so that a
  reliability coder's double-coding is never pooled with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.coded import coded_rows
from innostudy.coding.segments import SegmentRow, codable_segments
from innostudy.errors import InputError
from innostudy.model import Code, FocusGroup, GroupType, Sector

Unit = Literal["turn", "participant", "group"]
#: What one count can stand for, and how a turn names its unit.
UNITS: dict[str, Callable[[SegmentRow], Hashable]] = {
    "turn": lambda s: s.id,
    "participant": lambda s: s.participant_id,
    "group": lambda s: s.group_id,
}
#: The base of each unit, as a column header or a sentence states it.
UNIT_BASES = {
    "turn": "participant turns",
    "participant": "participants who spoke",
    "group": "groups",
}


@dataclass(frozen=True)
class MatrixColumn:
    key: str  # "g<id>" for a group, the sector's value for a sector total
    label: str
    group_id: int | None  # None for a sector total
    sector: Sector
    units: int  # units in this column: the base for reading a count
    words: int = 0  # words spoken in those units
    people: int = 0  # participants present (with at least one usable turn)


@dataclass(frozen=True)
class MatrixRow:
    code_id: int
    code_key: str
    code_name: str
    depth: int  # 0 for a top-level code (an area in the default codebook)
    counts: list[int]  # one per column
    words: list[int] = field(default_factory=list)  # words in the coded units, per column
    people: list[int] = field(default_factory=list)  # participants who raised it, per column


@dataclass(frozen=True)
class CodeGroupMatrix:
    unit: Unit
    columns: list[MatrixColumn]
    rows: list[MatrixRow]

    def frames(self, *, sectors: bool = False) -> dict[str, pd.DataFrame]:
        """``counts``, ``share`` (count ÷ the column's units), ``word_share`` (words in coded
        units ÷ words spoken) and ``people`` (participants who raised it) as DataFrames
        indexed by code key, plus ``bases`` (units, words, people per column): the group
        columns, or the sector totals when ``sectors``."""
        picked = [(i, c) for i, c in enumerate(self.columns) if (c.group_id is None) is sectors]
        names = [c.sector.label if sectors else c.label for _, c in picked]
        index = pd.Index([r.code_key for r in self.rows], name="code")
        counts = pd.DataFrame(
            [[r.counts[i] for i, _ in picked] for r in self.rows],
            index=index,
            columns=names,
            dtype="int64",
        )
        share = counts.astype("float64")
        word_share = counts.astype("float64")
        people = counts.copy()
        for (i, column), name in zip(picked, names, strict=True):
            share[name] = counts[name] / column.units if column.units else 0.0
            words = pd.Series([r.words[i] for r in self.rows], index=index, dtype="float64")
            word_share[name] = words / column.words if column.words else 0.0
            people[name] = [r.people[i] for r in self.rows]
        bases = pd.DataFrame(
            [
                [c.units for _, c in picked],
                [c.words for _, c in picked],
                [c.people for _, c in picked],
            ],
            index=pd.Index([f"{self.unit}s", "words", "people"], name="base"),
            columns=names,
            dtype="int64",
        )
        return {
            "counts": counts,
            "share": share.round(4),
            "word_share": word_share.round(4),
            "people": people,
            "bases": bases,
        }


def rolled_up(key: str) -> list[str]:
    """The code and every code above it: ``a.b.c`` → ``a``, ``a.b``, ``a.b.c``."""
    parts = key.split(".")
    return [".".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


def check_unit(unit: str) -> Unit:
    """``unit`` as a Unit, or the one error every interface shows for a wrong one."""
    if unit not in UNITS:
        raise InputError("--unit", None, "unit", f"'{unit}' is not one of {', '.join(UNITS)}")
    return unit  # type: ignore[return-value]


def code_group_matrix(
    session: Session, *, unit: Unit = "turn", coders: Sequence[str] | None = None
) -> CodeGroupMatrix:
    """The matrix for the whole study; ``coders`` limits it to some coders' codings."""
    unit_of = UNITS[check_unit(unit)]
    groups = session.scalars(
        sa.select(FocusGroup).join(GroupType).order_by(GroupType.position, FocusGroup.id)
    ).all()
    sectors = [s for s in Sector if any(g.group_type.sector is s for g in groups)]
    place = {
        g.id: (i, len(groups) + sectors.index(g.group_type.sector)) for i, g in enumerate(groups)
    }
    segments = [s for s in codable_segments(session) if s.group_id in place]
    where = {s.id: (place[s.group_id], unit_of(s)) for s in segments if s.group_id is not None}
    width = len(groups) + len(sectors)
    bases: list[set[Hashable]] = [set() for _ in range(width)]
    words = [0] * width
    present: list[set[int]] = [set() for _ in range(width)]
    by_id = {s.id: s for s in segments}
    for segment_id, ((group_col, sector_col), key) in where.items():
        for col in (group_col, sector_col):
            bases[col].add(key)
            words[col] += by_id[segment_id].words
            present[col].add(by_id[segment_id].participant_id)
    columns = [
        MatrixColumn(
            f"g{g.id}", g.label, g.id, g.group_type.sector, len(bases[i]), words[i], len(present[i])
        )
        for i, g in enumerate(groups)
    ]
    columns += [
        MatrixColumn(
            s.value,
            f"All {s.label.lower()}",
            None,
            s,
            len(bases[len(groups) + i]),
            words[len(groups) + i],
            len(present[len(groups) + i]),
        )
        for i, s in enumerate(sectors)
    ]
    coded: dict[str, set[int]] = defaultdict(set)
    for row in coded_rows(session, coders=coders, segments=segments):
        for key in rolled_up(row.code):
            coded[key].add(row.segment.id)
    rows = []
    for code in session.scalars(sa.select(Code).order_by(Code.codebook_id, Code.position)):
        cells: list[set[Hashable]] = [set() for _ in columns]
        cell_words = [0] * len(columns)
        raised: list[set[int]] = [set() for _ in columns]
        for segment_id in coded.get(code.key, ()):
            (group_col, sector_col), key = where[segment_id]
            for col in (group_col, sector_col):
                if key not in cells[col]:
                    cell_words[col] += by_id[segment_id].words
                cells[col].add(key)
                raised[col].add(by_id[segment_id].participant_id)
        counts = [len(c) for c in cells]
        rows.append(
            MatrixRow(
                code.id,
                code.key,
                code.name,
                code.key.count("."),
                counts,
                cell_words,
                [len(p) for p in raised],
            )
        )
    return CodeGroupMatrix(unit, columns, rows)
