"""The dates and times of one response file: day/month order per column, and time zones.

``file_dates`` decides, once per import, how the file's dates and respondent times are
read: the order of day and month from ``--date-format`` or from each whole column
(``scan_orders``, called only when a value needs it), and the zone of times that name
none (``--timezone``, else this computer's). dates.py and moments.py do the reading.
"""

from __future__ import annotations

from dataclasses import replace

from innostudy.errors import InputError
from innostudy.survey.importing.dates import ColumnDates, DateOrder, order_from_format
from innostudy.survey.importing.moments import TimeReader, local_zone, zone_named
from innostudy.survey.importing.plan import ColumnPlan, Whole
from innostudy.survey.importing.tables import Progress, Table
from innostudy.survey.instrument import Instrument, QuestionType


def file_dates(
    table: Table,
    plan: ColumnPlan,
    instrument: Instrument,
    skip: int,
    *,
    date_format: str | None,
    timezone: str | None,
) -> tuple[ColumnDates, TimeReader, str]:
    """How this file's dates and times are read, and the name of the zone used for times."""
    given = None
    if date_format:
        given = order_from_format(date_format)
        if given is None:
            raise InputError(
                "--date-format",
                None,
                None,
                f"'{date_format}' does not say where the day, month and year are "
                "(e.g. %d/%m/%Y or %m/%d/%y)",
            )
    if timezone:
        zone, zone_name = zone_named(timezone), timezone
    else:
        zone, zone_name = local_zone()
    date_keys = {q.key for q in instrument.questions() if q.type is QuestionType.DATE}
    date_columns = [
        i for i, b in plan.answers.items() if isinstance(b, Whole) and b.question in date_keys
    ]
    dates = ColumnDates(
        str(table.path),
        plan.columns,
        date_columns,
        lambda columns: scan_orders(table, skip, columns, plan.missing),
        given,
    )
    times = TimeReader(plan, dates, zone)
    dates.columns += times.columns()
    return dates, times, zone_name


def scan_orders(
    table: Table, skip: int, columns: list[int], missing: frozenset[str]
) -> dict[int, DateOrder]:
    """Read every value of ``columns`` once and say what each allows (dates.DateOrder)."""
    found = {i: DateOrder() for i in columns}
    width = max(columns, default=-1) + 1
    for number, cells in replace(table, progress=Progress()).records(skip):
        if len(cells) < width:
            continue  # a short row is refused on its own; it says nothing about dates
        for i, order in found.items():
            text = cells[i]
            if text and text not in missing:
                order.see(text, number)
    return found
