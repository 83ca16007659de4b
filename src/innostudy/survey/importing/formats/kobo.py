"""KoboToolbox and ODK Central CSV exports.

Headers are XML paths through the form's groups (``general/category``; ODK Central
writes ``general-category``, and Kobo lets people choose another group separator such
as ``.``), or the questions' labels when the export was made "with labels". The
question is found by its name or label, wherever its group: ``impacts/impacts/
service_delivery`` is item ``service_delivery`` of the matrix ``impacts``. A
``select_multiple`` comes as one column of space-separated values, as 0/1 columns per
choice (``origin/ministers``, ``origin.ministers``), or both (then the list is read).
Values may be XML values or labels. A row of HXL hashtags under the header is skipped.
Every submission is submitted. A form field named ``token``, ``external_id`` or
``organisation`` names the organisation; otherwise the submission's ``_uuid`` (Kobo) or
``KEY`` (ODK Central) keeps it as an unidentified respondent. ``start`` and ``end`` are
the respondent's times; ``_submission_time`` (Kobo, written in UTC without saying so)
and ``SubmissionDate`` (ODK Central) are when the server received it.
"""

from __future__ import annotations

from innostudy.errors import InputError
from innostudy.survey.importing.matching import Matcher, role_of
from innostudy.survey.importing.plan import (
    RECEIVED,
    RESPONSE_ID,
    STARTED,
    SUBMITTED,
    Binding,
    ColumnPlan,
    Item,
    Mark,
    RankOf,
    Whole,
)
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
ROLES = {
    "start": STARTED,
    "end": SUBMITTED,
    "_submission_time": RECEIVED,
    "submissiondate": RECEIVED,
    "_uuid": RESPONSE_ID,
    "key": RESPONSE_ID,
}
UTC_COLUMNS = {"_submission_time"}  # Kobo writes it in UTC with no offset
METADATA = SIGNATURE | {
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
    "meta/instancename",
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "status",
    "reviewstate",
    "edits",
    "formversion",
    "instanceid",
}


def detect(table: Table) -> bool:
    header = {h.strip().casefold() for h in table.head(1)[0]}
    return bool(header & SIGNATURE) or any(h.endswith("/instanceid") for h in header)


def segments(name: str, matcher: Matcher) -> list[str]:
    """Path segments: ``/`` for Kobo; ``-`` (ODK Central) or ``.`` when that reveals a question."""
    found: list[str] = []
    for part in (p for p in name.strip().split("/") if p):
        found += _split(part, matcher)
    return found


def _split(part: str, matcher: Matcher) -> list[str]:
    if matcher.question(part) is not None or role_of(part) is not None:
        return [part]
    for sep in ("-", "."):
        pieces = [p for p in part.split(sep) if p]
        if len(pieces) > 1 and any(
            matcher.question(p) is not None or role_of(p) is not None for p in pieces
        ):
            return pieces
    return [part]


def has_hashtags(table: Table) -> bool:
    """Kobo can write a second header row of HXL hashtags (``#symmetry``)."""
    head = table.head(2)
    cells = [c.strip() for c in head[1]] if len(head) > 1 else []
    return any(cells) and all(c.startswith("#") for c in cells if c)


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    header = table.head(1)[0]
    lowered = {h.strip().casefold() for h in header}
    if lowered & {"_parent_index", "parent_key"}:
        raise InputError(
            table.path,
            1,
            None,
            "this is the table of a repeat group (it has _parent_index or PARENT_KEY): "
            "innostudy has no repeats; import the form's main table instead",
        )
    result = ColumnPlan(
        NAME, list(header), list_separators=(" ",), header_rows=2 if has_hashtags(table) else 1
    )
    matcher = Matcher(instrument)
    for i, name in enumerate(header):
        path = segments(name, matcher)
        if not path:
            continue
        whole, last = name.strip().casefold(), path[-1].casefold()
        role = ROLES.get(whole)
        if whole in ("meta/instanceid", "meta-instanceid") and RESPONSE_ID not in result.roles:
            role = RESPONSE_ID
        if role is not None and result.claim(i, role):
            if last in UTC_COLUMNS:
                result.zones[i] = "UTC"
        elif whole in METADATA or last in METADATA:
            result.ignored.append(name)
        elif not result.claim(i, role_of(path[-1])):
            result.place(i, _binding(matcher, name, path))
    _prefer_lists(result)
    return result


def _binding(matcher: Matcher, name: str, path: list[str]) -> Binding | None:
    last = path[-1]
    q = matcher.question(last) if len(path) == 1 else matcher.by_key.get(last)
    if q is not None and q.type is not QuestionType.LIKERT_MATRIX:
        return Whole(q.key)
    if len(path) >= 2:
        parent = matcher.question(path[-2])
        if parent is not None:
            found = matcher.part(parent.key, last)
            if found is not None:
                return found
    return matcher.match(last) or matcher.match(name)


def _prefer_lists(result: ColumnPlan) -> None:
    """When a multi-choice comes both as a list and as 0/1 columns, read the list."""
    whole = {b.question for b in result.answers.values() if isinstance(b, Whole)}
    for i, b in list(result.answers.items()):
        if isinstance(b, Mark | RankOf | Item) and b.question in whole:
            del result.answers[i]
            result.ignored.append(result.columns[i])
