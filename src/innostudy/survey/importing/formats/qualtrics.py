"""Qualtrics CSV/TSV exports: export tags, question texts, and (usually) an ImportId row.

Three layouts are read: the current one (export tag, question text, ImportId JSON), the
same without its ImportId row (two header rows, as people often save it), and the
legacy export (``V1``…``V10`` over ``ResponseID``, ``ResponseSet``… in the second row).
Columns are matched by export tag (rename tags to the instrument's keys in Qualtrics and
every column matches), by ``tag_N`` sub-columns (a matrix statement, a multi-choice or
ranking choice with recode value N), and otherwise by the question text of the second
row ("Question - Statement"). Answers may be choice text or numeric recode values.
``Finished`` gives the status (unfinished responses come in as drafts), survey
previews, tests and spam are left out, and ``ExternalReference`` or an embedded-data
``token`` field names the organisation; an anonymous link's responses are kept under
their ``ResponseId``. StartDate, EndDate and RecordedDate are the respondent's times,
in the time zone the ImportId row names. Respondents' names and emails are not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from innostudy.model import ResponseStatus
from innostudy.survey.importing.cells import norm
from innostudy.survey.importing.matching import Matcher, loose, role_of
from innostudy.survey.importing.plan import (
    EXTERNAL_ID,
    RECEIVED,
    RESPONSE_ID,
    STARTED,
    SUBMITTED,
    Binding,
    ColumnPlan,
    Item,
    Mark,
    RankOf,
)
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument, Question, QuestionType

NAME = "qualtrics"
METADATA = {
    "startdate",
    "enddate",
    "status",
    "ipaddress",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "responseid",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "locationlatitude",
    "locationlongitude",
    "locationaccuracy",
    "distributionchannel",
    "userlanguage",
    "responseset",
    "name",
    "emailaddress",
}
ROLES = {
    "externalreference": EXTERNAL_ID,
    "externaldatareference": EXTERNAL_ID,
    "responseid": RESPONSE_ID,
    "startdate": STARTED,
    "enddate": SUBMITTED,
    "recordeddate": RECEIVED,
}
LEFT_OUT = {
    "survey preview",
    "survey test",
    "spam",
    "preview spam",
    "offline preview",
    "1",
    "2",
    "8",
    "9",
    "17",
}
_SUB = re.compile(r"^(?P<base>.+?)_(?P<n>[0-9]+)$")
_LEGACY = re.compile(r"V[0-9]+")
_LOOP = re.compile(r"^[0-9]+_.")
SIGNS = {"startdate", "enddate", "responseid", "finished", "recordeddate", "progress"}
_META = {loose(m) for m in METADATA}


def import_ids(row: Sequence[str]) -> list[str]:
    return [str(read_import_id(cell).get("ImportId", "")) for cell in row]


def read_import_id(cell: str) -> dict[str, object]:
    try:
        found = json.loads(cell) if cell.startswith("{") else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def layout(table: Table) -> str | None:
    """ "current" (ImportId row), "two-rows" (none), "legacy" (V1… over ResponseID), None."""
    head = table.head(3)
    if len(head) >= 3 and any(import_ids(head[2])):
        return "current"
    if len(head) < 2:
        return None
    first = [loose(c) for c in head[0]]
    if len(SIGNS.intersection(first)) >= 3:
        return "two-rows"
    second = {loose(c) for c in head[1]}
    if _LEGACY.fullmatch(head[0][0].strip()) and {"responseid", "responseset"} <= second:
        return "legacy"
    return None


def detect(table: Table) -> bool:
    return layout(table) is not None


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    kind = layout(table) or "current"
    head = table.head(3)
    tags, texts = list(head[0]), list(head[1]) if len(head) > 1 else []
    if kind == "legacy":  # V1…V10 are named in the second row; questions keep their tags
        tags = [texts[i] if _LEGACY.fullmatch(t.strip()) else t for i, t in enumerate(tags)]
    rows = 3 if kind == "current" else 2
    result = ColumnPlan(NAME, list(tags), header_rows=rows, list_separators=(",", ";"))
    zones = [read_import_id(c).get("timeZone") for c in head[2]] if kind == "current" else []
    matcher = Matcher(instrument)
    for i, tag in enumerate(tags):
        key = loose(tag)
        if not tag.strip():
            continue  # the empty column after a trailing delimiter (legacy exports)
        if key in ROLES:
            result.claim(i, ROLES[key])
            if i < len(zones) and isinstance(zones[i], str):
                result.zones[i] = str(zones[i])
        elif key in _META or tag.startswith("Q_"):
            result.ignored.append(tag)
        elif _LOOP.match(tag.strip()) and matcher.match(tag) is None:
            result.ignored.append(tag)
            result.notes.append(
                f"{tag}: a copy of a question made by Qualtrics' loop and merge, which "
                "innostudy does not read (one answer per question); not imported"
            )
        elif not result.claim(i, role_of(tag)):
            text = texts[i] if i < len(texts) else ""
            result.place(
                i, matcher.match(tag) or _sub_column(matcher, tag, text) or _by_text(matcher, text)
            )
    _status(result, [loose(t) for t in tags], tags)
    return result


def _status(result: ColumnPlan, lowered: list[str], tags: list[str]) -> None:
    if "finished" in lowered:
        finished = lowered.index("finished")
        result.status_field = tags[finished]
        result.status_rule = lambda cells: (
            ResponseStatus.SUBMITTED
            if cells[finished].strip().casefold() in ("1", "true")
            else ResponseStatus.DRAFT
        )
    if "status" in lowered:
        kind = lowered.index("status")
        result.skip_row = lambda cells: (
            "preview or test" if cells[kind].strip().casefold() in LEFT_OUT else None
        )


def _sub_column(matcher: Matcher, tag: str, text: str) -> Binding | None:
    """``tag_N``: statement N of a matrix, or the choice with recode value N."""
    split = _SUB.match(tag.strip())
    if split is None:
        return None
    q = matcher.question(split["base"])
    if q is None:
        return None
    n = int(split["n"])
    if q.type is QuestionType.LIKERT_MATRIX:
        label = _tail(text)
        item = next((i for i in q.items if label and norm(i.label) == norm(label)), None)
        if item is None and 1 <= n <= len(q.items):
            item = q.items[n - 1]
        return Item(q.key, item.key) if item is not None else None
    return _choice_part(q, str(n), _tail(text))


def _choice_part(q: Question, code: str, label: str) -> Binding | None:
    if q.type not in (QuestionType.MULTI_CHOICE, QuestionType.RANKING):
        return None
    choice = next((c for c in q.choices if str(c.code) == code), None)
    if label:
        choice = next((c for c in q.choices if norm(c.label) == norm(label)), choice)
    if choice is None:
        return None
    if q.type is QuestionType.MULTI_CHOICE:
        return Mark(q.key, choice.value)
    return RankOf(q.key, choice.value)


def _tail(text: str) -> str:
    """The part of a question text after the question: "Impact - Service quality"."""
    parts = [p.strip() for p in text.split(" - ")]
    parts = [p for p in parts if p.casefold() not in ("selected choice", "")]
    return parts[-1] if len(parts) > 1 else ""


def _by_text(matcher: Matcher, text: str) -> Binding | None:
    """Match the second header row: "Question text" or "Question text - Part"."""
    parts = [p.strip() for p in text.split(" - ") if p.strip().casefold() != "selected choice"]
    if not parts or not parts[0]:
        return None
    q = matcher.by_label.get(norm(parts[0])) or matcher.by_loose.get(loose(parts[0]))
    if q is None:
        return None
    if len(parts) == 1:
        return None if q.type is QuestionType.LIKERT_MATRIX else matcher.match(q.key)
    return matcher.part(q.key, parts[-1])
