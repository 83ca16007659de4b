"""Problems with a whole file, found from its header before any row is read.

These stop an import outright, even with --skip-invalid: no row could be read right.
"""

from __future__ import annotations

from collections import Counter

from innostudy.errors import InputError
from innostudy.survey.importing.plan import EXTERNAL_ID, NAME, RESPONSE_ID, TOKEN, ColumnPlan
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument

_SHOWN = 8


def check_plan(plan: ColumnPlan, instrument: Instrument, table: Table) -> None:
    row = plan.header_rows
    used = sorted({*plan.answers, *plan.roles.values()})
    names = Counter(plan.columns[i].strip() for i in used)
    twice = [n for n, count in names.items() if count > 1]
    if twice:
        where = [i + 1 for i in used if plan.columns[i].strip() == twice[0]]
        raise InputError(
            table.path, 1, twice[0], f"columns {where[0]} and {where[1]} have the same name"
        )
    if not any(role in plan.roles for role in (TOKEN, EXTERNAL_ID, NAME, RESPONSE_ID)):
        raise InputError(
            table.path,
            row,
            None,
            "no column says which organisation each row is from: add a token, external_id "
            "or organisation column, name one with --organisation-column or in a mapping "
            "file (--mapping), or give each response an id (a response_id column)",
        )
    if not plan.answers:
        raise InputError(
            table.path,
            row,
            None,
            f"no column matches a question of the instrument ({_listed(plan.unmapped)}); "
            "check the format (--format) or map the columns (--mapping)",
        )
    if plan.status_rule is None:
        bound = plan.bound_questions()
        missing = [
            q.key
            for q in instrument.questions()
            if q.required and not q.relevant and q.key not in bound
        ]
        if missing:
            raise InputError(
                table.path,
                row,
                None,
                f"no column for the required question{'s' if len(missing) > 1 else ''} "
                f"{_listed(missing)}; every row would be refused (map them with --mapping)",
            )


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    more = len(names) - _SHOWN
    return shown + (f" and {more} more" if more > 0 else "") if names else "no columns"
