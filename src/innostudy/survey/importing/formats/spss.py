"""SPSS ``.sav`` files (read with pyreadstat): one variable per column, codes for choices.

Variables are matched first by the names ``survey export --format sav`` gives the
layout's columns (exporting.spss_names: ``origin.ministers`` for ``origin/ministers``),
then like plain CSV columns. Choice variables hold the instrument's numeric ``code``s;
choice values and labels are read too.
"""

from __future__ import annotations

from innostudy.survey.exporting import spss_names
from innostudy.survey.importing.formats import generic
from innostudy.survey.importing.plan import ColumnPlan, Item, Mark, RankOf, Whole
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument, QuestionType
from innostudy.survey.layout import RECORD_COLUMNS, answer_columns

NAME = "spss"


def detect(table: Table) -> bool:
    return table.kind == "sav"


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    header = table.head(1)[0]
    result = ColumnPlan(NAME, list(header))
    columns = answer_columns(instrument)
    names = spss_names([*RECORD_COLUMNS, *(c.name for c in columns)])
    by_variable = {names[c.name].upper(): c for c in columns}
    record = {names[k].upper(): k for k in RECORD_COLUMNS}
    rest: list[int] = []
    for i, variable in enumerate(header):
        column = by_variable.get(variable.upper())
        if variable.upper() in record:
            result.columns[i] = record[variable.upper()]  # read like the plain layout's column
            rest.append(i)
        elif column is None:
            rest.append(i)
        elif column.part is None:
            result.bind(i, Whole(column.question.key))
        elif column.question.type is QuestionType.MULTI_CHOICE:
            result.bind(i, Mark(column.question.key, column.part))
        elif column.question.type is QuestionType.RANKING:
            result.bind(i, RankOf(column.question.key, column.part))
        else:
            result.bind(i, Item(column.question.key, column.part))
    generic.fill(result, instrument, rest)
    result.columns = list(header)
    return result
