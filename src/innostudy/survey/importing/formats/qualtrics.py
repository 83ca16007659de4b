"""placeholder"""

from __future__ import annotations

from innostudy.survey.importing.plan import ColumnPlan
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument

NAME = "qualtrics"


def detect(table: Table) -> bool:
    return False


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    raise NotImplementedError
