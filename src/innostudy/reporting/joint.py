"""Report tables from the one code-by-group matrix (``coding.group_matrix``), so the report,
the CLI and the web app cannot disagree: the main coding only (never pooled with a
reliability coder's), a parent counting a turn once however many of its children coded
it, withdrawn participants left out.

* ``{{joint: AREA}}``: the area's themes × focus groups; each cell the turns coded with
  the theme and their share of that group's turns, with the bases (turns, words,
  participants present) underneath. The sector totals are the comparison's, so this
  table stays narrow enough for a printed page; headers drop the word "group".
* ``{{comparison: AREA}}``: civil service beside the comparison groups, theme by theme:
  turns (share of turns), share of words spoken, and participants who raised it out of
  those present.
"""

from __future__ import annotations

from innostudy.analysis import formatting
from innostudy.coding.coded import MainCoding
from innostudy.coding.group_matrix import CodeGroupMatrix, MatrixColumn, MatrixRow
from innostudy.model import FocusGroup, Sector
from innostudy.reporting.document import Table
from innostudy.reporting.resolver import Unresolved


def _area_rows(matrix: CodeGroupMatrix, area: str) -> list[MatrixRow]:
    rows = [r for r in matrix.rows if r.code_key == area or r.code_key.startswith(f"{area}.")]
    if len(rows) < 2:
        raise LookupError(f"no codes under '{area}' in the codebook")
    if not any(rows[0].counts):
        raise Unresolved(f"no turn has been coded under '{area}' in the main coding yet")
    return rows


def _name(row: MatrixRow, area_title: str) -> str:
    return f"Any theme ({area_title.lower()})" if row.depth == 0 else row.code_name


def _cell(n: int, base: int) -> str:
    return f"{n} ({formatting.pct(100 * n / base)})" if base else "–"


def joint_table(
    matrix: CodeGroupMatrix, area: str, area_title: str, groups: list[FocusGroup]
) -> Table:
    rows = _area_rows(matrix, area)
    index = {c.group_id: i for i, c in enumerate(matrix.columns) if c.group_id is not None}
    picked = [index[g.id] for g in groups if g.id in index]
    columns = [matrix.columns[i] for i in picked]
    body = [
        [_name(r, area_title), *(_cell(r.counts[i], matrix.columns[i].units) for i in picked)]
        for r in rows
    ]
    body += [
        ["Base: participant turns", *(formatting.count(c.units) for c in columns)],
        ["Words spoken", *(formatting.count(c.words) for c in columns)],
        ["Participants present", *(formatting.count(c.people) for c in columns)],
    ]
    return Table(
        caption=f"{area_title}: turns in which each group raised each theme",
        header=["Theme", *(short_label(c.label) for c in columns)],
        rows=body,
        numeric=[False, *([True] * len(columns))],
        notes=[
            "Turns coded with the theme in the main coding, and their share of the column's "
            "participant turns (a turn counts once however many of the area's themes it "
            "carries). – : the group has no analysable turns (it has not met)."
        ],
    )


def short_label(label: str) -> str:
    """ "IT practitioners group" → "IT practitioners": the caption already says "group"."""
    return label.removesuffix(" group") or label


def _sides(matrix: CodeGroupMatrix) -> list[tuple[int, MatrixColumn]]:
    sides = [
        (i, c)
        for sector in Sector
        for i, c in enumerate(matrix.columns)
        if c.group_id is None and c.sector is sector and c.units
    ]
    if len(sides) < 2:
        raise Unresolved("both civil-service and comparison groups need analysable turns")
    return sides


def comparison_table(
    matrix: CodeGroupMatrix, area: str, area_title: str, main: MainCoding
) -> Table:
    rows = _area_rows(matrix, area)
    sides = _sides(matrix)
    body = []
    for r in rows:
        cells = []
        for i, c in sides:
            cells += [
                _cell(r.counts[i], c.units),
                formatting.pct(100 * r.words[i] / c.words) if c.words else "–",
                f"{r.people[i]} of {c.people}",
            ]
        body.append([_name(r, area_title), *cells])
    header = ["Theme"]
    for _, c in sides:
        side = c.sector.label
        header += [f"{side}: turns", f"{side}: share of words", f"{side}: people"]
    bases = "; ".join(
        f"{c.sector.label}: {formatting.count(c.units)} participant turns, "
        f"{formatting.count(c.words)} words, {c.people} participants present"
        for _, c in sides
    )
    coders = f"{len(main.coders)} coder{'s' if len(main.coders) != 1 else ''}"
    others = len(main.reliability)
    whose = "the reliability coder's" if others == 1 else f"the {others} reliability coders'"
    checked = f"; {whose} codings are compared for agreement, never counted" if others else ""
    return Table(
        caption=f"{area_title}: civil service and comparison groups side by side",
        header=header,
        rows=body,
        numeric=[False, *([True] * (len(header) - 1))],
        notes=[
            f"Bases — {bases}. Turns: participant turns coded with the theme (share of the "
            "side's turns); share of words: words in those turns as a share of all words the "
            "side spoke; people: participants who raised it, of those present. One coding: "
            f"the main coding ({coders}){checked}."
        ],
    )
