"""SPSS ``.sav`` files (read with pyreadstat): one variable per column, codes for choices.

Variables are matched like plain CSV columns, and also by the names ``survey export
--format sav`` gives them (see exporting.spss_names). Choice variables hold numeric
codes, read as the instrument's choice ``code``s (value labels are matched too).
"""

from __future__ import annotations

from innostudy.survey.importing.formats import generic
from innostudy.survey.importing.plan import ColumnPlan
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument

NAME = "spss"


def detect(table: Table) -> bool:
    return table.kind == "sav"


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    result = generic.plan(table, instrument)
    result.format = NAME
    return result
