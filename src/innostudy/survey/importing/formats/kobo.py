"""KoboToolbox and ODK Central CSV exports.

Headers are XML paths through the form's groups (``general/category``; ODK Central
writes ``general-category``). The question is found by its name, wherever its group:
``impacts/impacts/service_delivery`` is item ``service_delivery`` of the matrix
``impacts``. A ``select_multiple`` comes as one column of space-separated values, as
0/1 columns per choice (``origin/ministers``), or both (then the list is read).
Values may be XML values or labels. Every submission is submitted. A form field named
``token``, ``external_id`` or ``organisation`` names the organisation.
"""

from __future__ import annotations

from innostudy.survey.importing.matching import Matcher, role_of
from innostudy.survey.importing.plan import Binding, ColumnPlan, Item, Mark, RankOf, Whole
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument, QuestionType

NAME = "kobo"
SIGNATURE = {
    "_uuid",
    "_submission_time",
    "_id",
    "meta/instanceid",
    "__version__",
    "key",
    "submissiondate",
}
METADATA = SIGNATURE | {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "audit",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "_tags",
    "_index",
    "meta/rootuuid",
    "meta/deprecatedid",
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "reviewstate",
    "edits",
    "formversion",
    "instanceid",
}


def detect(table: Table) -> bool:
    header = {h.strip().casefold() for h in table.head(1)[0]}
    return bool(header & SIGNATURE) or any(h.endswith("/instanceid") for h in header)


def segments(name: str, matcher: Matcher) -> list[str]:
    """Path segments: ``/`` for Kobo; ``-`` for ODK Central when that reveals a question."""
    parts = [p for p in name.strip().split("/") if p]
    if len(parts) == 1 and "-" in name and matcher.question(name) is None:
        dashed = [p for p in name.strip().split("-") if p]
        if any(matcher.question(p) is not None or role_of(p) is not None for p in dashed):
            return dashed
    return parts


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    header = table.head(1)[0]
    result = ColumnPlan(NAME, list(header), list_separators=(" ",))
    matcher = Matcher(instrument)
    for i, name in enumerate(header):
        path = segments(name, matcher)
        if not path:
            continue
        last = path[-1]
        if name.strip().casefold() in METADATA or last.casefold() in METADATA:
            result.ignored.append(name)
        elif not result.claim(i, role_of(last)):
            result.place(i, _binding(matcher, path))
    _prefer_lists(result)
    return result


def _binding(matcher: Matcher, path: list[str]) -> Binding | None:
    last = path[-1]
    q = matcher.by_key.get(last)
    if q is not None and q.type is not QuestionType.LIKERT_MATRIX:
        return Whole(q.key)
    if len(path) >= 2:
        parent = matcher.by_key.get(path[-2])
        if parent is not None:
            found = matcher.part(parent.key, last)
            if found is not None:
                return found
    return matcher.match(last)


def _prefer_lists(result: ColumnPlan) -> None:
    """When a multi-choice comes both as a list and as 0/1 columns, read the list."""
    whole = {b.question for b in result.answers.values() if isinstance(b, Whole)}
    for i, b in list(result.answers.items()):
        if isinstance(b, Mark | RankOf | Item) and b.question in whole:
            del result.answers[i]
            result.ignored.append(result.columns[i])
