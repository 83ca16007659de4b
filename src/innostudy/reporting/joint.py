"""Joint displays: for one area, what each focus group said, theme by theme.

Rows are the area's codes; columns the groups (civil-service groups first), each cell
the number of a group's turns that a person coded with that theme. The counts are the
rows of the code-by-group matrix the web app and CLI show (``coding.group_matrix``), so the report
and the matrix view cannot disagree: accepted codings by people only, a parent counting
a turn once however many of its children coded it, withdrawn participants left out.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.group_matrix import CodeGroupMatrix, code_group_matrix
from innostudy.model import FocusGroup, GroupType, Sector
from innostudy.reporting.document import Table


def _groups(session: Session) -> list[FocusGroup]:
    groups = session.scalars(
        sa.select(FocusGroup).join(GroupType).order_by(GroupType.position, FocusGroup.id)
    ).all()
    return sorted(groups, key=lambda g: g.group_type.sector is not Sector.CIVIL_SERVICE)


def joint_table(
    session: Session, area: str, area_title: str, matrix: CodeGroupMatrix | None = None
) -> Table:
    """The area's table; pass ``matrix`` to share one computation across areas."""
    matrix = matrix or code_group_matrix(session)
    rows = [r for r in matrix.rows if r.code_key.startswith(f"{area}.")]
    if not rows:
        raise LookupError(f"no codes under '{area}' in the codebook")
    groups = _groups(session)
    column = {c.group_id: i for i, c in enumerate(matrix.columns) if c.group_id is not None}
    body = []
    for row in rows:
        cells = [row.counts[column[g.id]] for g in groups]
        body.append([row.code_name, *map(str, cells), str(sum(cells))])
    return Table(
        caption=f"{area_title}: turns in which each group raised each theme",
        header=["Theme", *(g.label for g in groups), "All groups"],
        rows=body,
        numeric=[False, *([True] * (len(groups) + 1))],
        notes=["Counts of participant turns coded by the analysts (accepted codings only)."],
    )
