"""One module per response-file format, each turning a file's header into a ColumnPlan.

``detect`` looks at the first records only; ``plan`` matches columns to questions.
Auto-detection tries the formats with a recognisable signature first (Qualtrics'
ImportId row, LimeSurvey's submitdate, REDCap's record_id and checkbox columns, Kobo's
_uuid) and falls back to a plain CSV/XLSX/SPSS table.
"""

from __future__ import annotations

from typing import Protocol

from innostudy.errors import InputError
from innostudy.survey.importing.formats import generic, kobo, limesurvey, qualtrics, redcap, spss
from innostudy.survey.importing.plan import ColumnPlan
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument


class Format(Protocol):
    NAME: str

    def detect(self, table: Table) -> bool: ...

    def plan(self, table: Table, instrument: Instrument) -> ColumnPlan: ...


FORMATS: dict[str, Format] = {
    m.NAME: m for m in (qualtrics, limesurvey, redcap, kobo, spss, generic)
}
FORMAT_NAMES = ("auto", "csv", "xlsx", *[n for n in FORMATS if n != "generic"])


def choose_format(table: Table, name: str) -> Format:
    """The format asked for, or the first whose signature the file has."""
    if name in ("csv", "xlsx", "generic"):
        return FORMATS["generic"]
    if name != "auto":
        if name not in FORMATS:
            allowed = ", ".join(FORMAT_NAMES)
            raise InputError(table.path, None, None, f"unknown format '{name}' (one of: {allowed})")
        return FORMATS[name]
    return next(f for f in FORMATS.values() if f.detect(table))
