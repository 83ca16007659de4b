"""Plain CSV or XLSX: one header row, columns named as ``survey export`` names them.

Columns are matched by question key (or label), with ``key/choice`` and ``key/item``
for the parts of multi-choice, ranking and matrix questions (see survey.layout). A
mapping file handles any other naming.
"""

from __future__ import annotations

from innostudy.survey.importing.matching import Matcher, role_of
from innostudy.survey.importing.plan import STATUS, ColumnPlan, status_words
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument
from innostudy.survey.layout import RECORD_COLUMNS

NAME = "generic"


def detect(table: Table) -> bool:
    return True


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    header = table.head(1)[0]
    result = ColumnPlan(NAME if table.kind != "sav" else "spss", list(header))
    fill(result, instrument, range(len(header)))
    return result


def fill(result: ColumnPlan, instrument: Instrument, indexes: range | list[int]) -> None:
    """Bind every column that names a role or a question; list the others as unmapped."""
    matcher = Matcher(instrument)
    for i in indexes:
        name = result.columns[i]
        if not name.strip():
            continue
        if result.claim(i, role_of(name)):
            continue
        binding = matcher.match(name)
        if binding is None and name.strip() in RECORD_COLUMNS:
            result.ignored.append(name)  # revision, submitted_at…: written by export, not read
        else:
            result.place(i, binding)
    if STATUS in result.roles and result.status_rule is None:
        result.status_rule = status_words(result.roles[STATUS])
        result.status_field = result.columns[result.roles[STATUS]]
