"""Export responses: one row per response, as CSV, XLSX, Parquet or SPSS ``.sav``.

Columns follow survey.layout (so an export imports again unchanged). No personal data
leaves: organisations are named, their contacts and invitation tokens are not. SPSS
files get numeric codes with value labels and the question text as variable labels;
their variable names are ``spss_names`` of the layout, which the SPSS importer knows.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.atomic import atomic_path
from innostudy.cells import XLSX_OPTIONS, csv_writer
from innostudy.coding.provenance import machine_assistance
from innostudy.errors import InnostudyError
from innostudy.model import Organisation, Response, ResponseStatus
from innostudy.survey.instrument import Instrument, QuestionType
from innostudy.survey.layout import (
    EXTERNAL_ID,
    ORGANISATION,
    ORGANISATION_TYPE,
    RECORD_COLUMNS,
    REVISION,
    STARTED_AT,
    STATUS,
    SUBMITTED_AT,
    UPDATED_AT,
    AnswerColumn,
    answer_columns,
)

EXPORT_FORMATS = ("csv", "xlsx", "parquet", "sav")
TIME_COLUMNS = (STARTED_AT, SUBMITTED_AT, UPDATED_AT)
SPSS_RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}
SPSS_NAME_BYTES = 64
MARK_LABELS = {0.0: "Not selected", 1.0: "Selected"}
PARQUET_GROUP = 50_000
Writer = Callable[[Path, list["AnswerColumn"], Iterator["ExportRow"], bool], int]


@dataclass(frozen=True)
class ExportRow:
    record: dict[str, Any]
    answers: dict[str, Any]


def export_rows(session: Session, statuses: Sequence[ResponseStatus]) -> Iterator[ExportRow]:
    """Responses in organisation order, without contact details (those never leave)."""
    query = (
        sa.select(
            Organisation.name,
            Organisation.org_type,
            Organisation.external_id,
            Response.status,
            Response.revision,
            Response.started_at,
            Response.submitted_at,
            Response.updated_at,
            Response.answers,
        )
        .join(Response, Response.organisation_id == Organisation.id)
        .where(Response.status.in_(list(statuses)))
        .order_by(Organisation.name)
        .execution_options(yield_per=2000)
    )
    for row in session.execute(query):
        name, kind, ext, status, revision, started, submitted, updated, answers = row
        record = {
            ORGANISATION: name,
            ORGANISATION_TYPE: kind,
            EXTERNAL_ID: ext,
            STATUS: status.value,
            REVISION: revision,
            STARTED_AT: started,
            SUBMITTED_AT: submitted,
            UPDATED_AT: updated,
        }
        yield ExportRow(record, answers)


def cell(column: AnswerColumn, answers: dict[str, Any], *, labels: bool = False) -> Any:
    """The value of one layout column for one response (None when unanswered)."""
    q = column.question
    value = answers.get(q.key)
    if value is None:
        return None
    if q.type is QuestionType.MULTI_CHOICE:
        return 1 if column.part in value else 0
    if q.type is QuestionType.RANKING:
        return value.index(column.part) + 1 if column.part in value else None
    if q.type is QuestionType.LIKERT_MATRIX:
        value = value.get(column.part)
        if value is None:
            return None
    if labels and q.type.uses_choices:
        choice = q.choice(value)
        return choice.label if choice is not None else value
    return value


def export_responses(
    session: Session,
    instrument: Instrument,
    path: Path,
    fmt: str | None = None,
    *,
    statuses: Sequence[ResponseStatus] = (ResponseStatus.SUBMITTED, ResponseStatus.DRAFT),
    labels: bool = False,
    keep_formulas: bool = False,
) -> int:
    """Write the responses to ``path`` (format from ``fmt`` or the suffix); returns the count.

    CSV text that a spreadsheet would run gets a leading apostrophe unless
    ``keep_formulas`` (``innostudy.cells``); XLSX text is always a string cell.
    """
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise InnostudyError(
            f"{path}: cannot export as '{fmt}' (one of: {', '.join(EXPORT_FORMATS)})"
        )
    columns = answer_columns(instrument)
    rows = export_rows(session, statuses)
    csv_out: Writer = functools.partial(_write_csv, keep_formulas=keep_formulas)
    xlsx_out: Writer = functools.partial(_write_xlsx, assistance=machine_assistance(session).rows())
    writer: Writer = {
        "csv": csv_out,
        "xlsx": xlsx_out,
        "parquet": _write_parquet,
        "sav": _write_sav,
    }[fmt]
    with atomic_path(path) as temp:
        return writer(temp, columns, rows, labels)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write_csv(
    path: Path,
    columns: list[AnswerColumn],
    rows: Iterator[ExportRow],
    labels: bool,
    *,
    keep_formulas: bool = False,
) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv_writer(f, keep_formulas=keep_formulas)
        out.writerow([*RECORD_COLUMNS, *(c.name for c in columns)])
        for row in rows:
            out.writerow(
                [_text(row.record[k]) for k in RECORD_COLUMNS]
                + [_text(cell(c, row.answers, labels=labels)) for c in columns]
            )
            count += 1
    return count


def _write_xlsx(
    path: Path,
    columns: list[AnswerColumn],
    rows: Iterator[ExportRow],
    labels: bool,
    *,
    assistance: Sequence[tuple[str, str]] = (),
) -> int:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, **XLSX_OPTIONS})
    try:
        sheet = book.add_worksheet("Responses")
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        bold = book.add_format({"bold": True})
        for j, name in enumerate([*RECORD_COLUMNS, *(c.name for c in columns)]):
            sheet.write_string(0, j, name, bold)
        date_columns = {c.name for c in columns if c.question.type is QuestionType.DATE}
        count = 0
        for count, row in enumerate(rows, start=1):
            values = [row.record[k] for k in RECORD_COLUMNS]
            values += [cell(c, row.answers, labels=labels) for c in columns]
            names = [*RECORD_COLUMNS, *(c.name for c in columns)]
            for j, (name, value) in enumerate(zip(names, values, strict=True)):
                _xlsx_cell(sheet, count, j, value, day if name in date_columns else None)
        # Every export of the study says what was machine-assisted (coding.provenance);
        # after the responses, so the first sheet is still the one imports read.
        about = book.add_worksheet("Machine assistance")
        for i, (what, value) in enumerate(assistance):
            about.write_string(i, 0, what)
            about.write_string(i, 1, value)
        return count
    finally:
        book.close()


def _xlsx_cell(sheet: Any, i: int, j: int, value: Any, day: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float | datetime):
        if day is not None and isinstance(value, str):
            sheet.write_datetime(i, j, datetime.fromisoformat(value), day)
        else:
            sheet.write_string(i, j, str(value))  # never a formula, whatever the text
    elif isinstance(value, datetime):
        sheet.write_string(i, j, value.isoformat(timespec="seconds"))
    else:
        sheet.write_number(i, j, value)


def _write_parquet(
    path: Path, columns: list[AnswerColumn], rows: Iterator[ExportRow], labels: bool
) -> int:
    """Typed columns, written a row group at a time so a large study never sits in memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = [*RECORD_COLUMNS, *(c.name for c in columns)]
    types = {c.name: _arrow_type(c, labels) for c in columns}
    types |= dict.fromkeys((ORGANISATION, ORGANISATION_TYPE, EXTERNAL_ID, STATUS), pa.string())
    types[REVISION] = pa.int64()
    types |= dict.fromkeys(TIME_COLUMNS, pa.timestamp("us", tz="UTC"))
    schema = pa.schema([(n, types[n]) for n in names])
    count = 0
    with pq.ParquetWriter(path, schema) as out:
        while group := list(islice(rows, PARQUET_GROUP)):
            out.write_table(_arrow_group(group, columns, schema, labels))
            count += len(group)
    return count


def _arrow_group(
    group: list[ExportRow], columns: list[AnswerColumn], schema: Any, labels: bool
) -> Any:
    import pyarrow as pa

    data: dict[str, list[Any]] = {name: [] for name in schema.names}
    dates = {c.name for c in columns if c.question.type is QuestionType.DATE}
    for row in group:
        for k in RECORD_COLUMNS:
            data[k].append(row.record[k])
        for c in columns:
            value = cell(c, row.answers, labels=labels)
            if value is not None and c.name in dates:
                value = date.fromisoformat(value)
            data[c.name].append(value)
    return pa.table({f.name: pa.array(data[f.name], type=f.type) for f in schema}, schema=schema)


def _arrow_type(column: AnswerColumn, labels: bool) -> Any:
    import pyarrow as pa

    t = column.question.type
    if t in (QuestionType.MULTI_CHOICE, QuestionType.RANKING):
        return pa.int64()
    if t is QuestionType.DATE:
        return pa.date32()
    if t.is_numeric:
        whole = column.question.integer or t is QuestionType.MONTHS
        return pa.int64() if whole else pa.float64()
    return pa.string()


# -- SPSS ------------------------------------------------------------------------------------


def spss_name(name: str) -> str:
    """A column name as a valid SPSS variable name (before making names unique)."""
    n = re.sub(r"[^A-Za-z0-9_.]", "_", name.replace("/", "."))
    if not n or not n[0].isalpha():
        n = "v" + n
    if n.upper() in SPSS_RESERVED:
        n += "_"
    if n.endswith("."):
        n = n[:-1] + "_"
    if len(n.encode("utf-8")) > SPSS_NAME_BYTES:
        n = n[:55] + "_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return n


def spss_names(names: Sequence[str]) -> dict[str, str]:
    """Column → variable name; unique ignoring case, as SPSS requires; deterministic."""
    taken: set[str] = set()
    result: dict[str, str] = {}
    for name in names:
        candidate = base = spss_name(name)
        n = 2
        while candidate.upper() in taken:
            suffix = f"_{n}"
            candidate = base[: SPSS_NAME_BYTES - len(suffix)] + suffix
            n += 1
        taken.add(candidate.upper())
        result[name] = candidate
    return result


def _write_sav(
    path: Path, columns: list[AnswerColumn], rows: Iterator[ExportRow], labels: bool
) -> int:
    import pandas as pd
    import pyreadstat

    names = spss_names([*RECORD_COLUMNS, *(c.name for c in columns)])
    data: dict[str, list[Any]] = {names[k]: [] for k in RECORD_COLUMNS}
    data |= {names[c.name]: [] for c in columns}
    codes = {c.name: {ch.value: float(ch.code) for ch in c.question.choices} for c in columns}
    count = 0
    for row in rows:
        for k in RECORD_COLUMNS:
            value = row.record[k]
            if isinstance(value, datetime):
                value = value.replace(tzinfo=None)
            data[names[k]].append(value if value is not None else _spss_missing(k))
        for c in columns:
            data[names[c.name]].append(_spss_cell(c, row.answers, codes[c.name]))
        count += 1
    frame = pd.DataFrame(data)
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={names[c.name]: c.label[:256] for c in columns},
        variable_value_labels=_value_labels(columns, names),
        variable_measure=_measures(columns, names),
        file_label="innostudy survey responses",
    )
    return count


def _spss_missing(column: str) -> Any:
    return float("nan") if column == REVISION else ("" if column not in TIME_COLUMNS else None)


def _spss_cell(column: AnswerColumn, answers: dict[str, Any], codes: dict[str, float]) -> Any:
    q = column.question
    value = cell(column, answers)
    if q.type is QuestionType.DATE:
        return date.fromisoformat(value) if value is not None else None
    if q.type in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        return value if value is not None else ""
    if value is None:
        return float("nan")
    if q.type.uses_choices and q.type not in (QuestionType.MULTI_CHOICE, QuestionType.RANKING):
        return codes[value]
    return float(value)


def _value_labels(
    columns: list[AnswerColumn], names: dict[str, str]
) -> dict[str, dict[float, str]]:
    labels: dict[str, dict[float, str]] = {}
    for c in columns:
        t = c.question.type
        if t is QuestionType.MULTI_CHOICE:
            labels[names[c.name]] = dict(MARK_LABELS)
        elif t.uses_choices and t is not QuestionType.RANKING:
            labels[names[c.name]] = {float(ch.code): ch.label[:120] for ch in c.question.choices}
    return labels


def _measures(columns: list[AnswerColumn], names: dict[str, str]) -> dict[str, str]:
    measures: dict[str, str] = {}
    for c in columns:
        t = c.question.type
        if t.is_ordered_scale or t is QuestionType.RANKING:
            measures[names[c.name]] = "ordinal"
        elif t.uses_choices:
            measures[names[c.name]] = "nominal"
        elif t.is_numeric:
            measures[names[c.name]] = "scale"
    return measures
