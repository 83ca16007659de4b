"""Qualtrics CSV/TSV exports: three header rows (export tag, question text, ImportId JSON).

Columns are matched by export tag (rename tags to the instrument's keys in Qualtrics and
every column matches), by ``tag_N`` sub-columns (a matrix statement, a multi-choice or
ranking choice with recode value N), and otherwise by the question text of the second
row ("Question - Statement"). Answers may be choice text or numeric recode values.
``Finished`` gives the status (unfinished responses come in as drafts), survey
previews, tests and spam are left out, and ``ExternalReference`` or an embedded-data
``token`` field names the organisation. Respondents' names and emails are not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from innostudy.model import ResponseStatus
from innostudy.survey.importing.cells import norm
from innostudy.survey.importing.matching import Matcher, loose, role_of
from innostudy.survey.importing.plan import EXTERNAL_ID, Binding, ColumnPlan, Item, Mark, RankOf
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
    "distributionchannel",
    "userlanguage",
}
LEFT_OUT = {"survey preview", "survey test", "spam", "1", "2", "8"}
_SUB = re.compile(r"^(?P<base>.+?)_(?P<n>[0-9]+)$")


def import_ids(row: Sequence[str]) -> list[str]:
    ids = []
    for cell in row:
        try:
            found = json.loads(cell).get("ImportId", "") if cell.startswith("{") else ""
        except (ValueError, AttributeError):
            found = ""
        ids.append(str(found))
    return ids


def detect(table: Table) -> bool:
    head = table.head(3)
    return len(head) == 3 and any(import_ids(head[2]))


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    tags, texts = table.head(3)[0], table.head(3)[1]
    result = ColumnPlan(NAME, list(tags), header_rows=3, list_separators=(",", ";"))
    matcher = Matcher(instrument)
    for i, tag in enumerate(tags):
        key = tag.strip().casefold()
        if key == "externalreference":
            result.roles[EXTERNAL_ID] = i
        elif key in METADATA:
            result.ignored.append(tag)
        elif not result.claim(i, role_of(tag)):
            text = texts[i] if i < len(texts) else ""
            result.place(
                i, matcher.match(tag) or _sub_column(matcher, tag, text) or _by_text(matcher, text)
            )
    _status(result, tags)
    return result


def _status(result: ColumnPlan, tags: list[str]) -> None:
    lowered = [t.strip().casefold() for t in tags]
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
