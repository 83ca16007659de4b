"""REDCap CSV exports (raw or labels), with or without the data dictionary at hand.

Checkbox fields come as ``field___code`` columns (1/0, or Checked/Unchecked), choice
fields as raw codes or labels, matrix rows as separate fields (matched to the items of
a Likert matrix). The record ID (the first column) names the organisation as its
external id unless the export has a token, external_id or organisation field; a record
id that names no known organisation is kept as an unidentified respondent (an anonymous
survey). The ``<form>_complete`` columns give the status: every form Complete (2) is
submitted, anything else a draft. The ``<form>_timestamp`` columns of a survey are when
each form was completed: the latest is the submission time (``[not completed]`` counts
as none). A file written by R (``write.csv``) has an unnamed first column of row
numbers and ``NA`` for every missing value: both are understood.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from innostudy.model import ResponseStatus
from innostudy.survey.importing.matching import Matcher, loose, role_of
from innostudy.survey.importing.plan import (
    EXTERNAL_ID,
    RESPONSE_ID,
    SUBMITTED,
    TOKEN,
    ColumnPlan,
)
from innostudy.survey.importing.plan import NAME as ORG_NAME
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument

NAME = "redcap"
METADATA_PREFIXES = ("redcap_",)
COMPLETE = {"2", "complete"}
_CHOICE = re.compile(r"^(?P<label>.+) \(choice=(?P<choice>.+)\)$")


def detect(table: Table) -> bool:
    header = [h.strip().casefold() for h in table.head(1)[0]]
    if len(header) > 1 and header[0] == "":
        header = header[1:]  # R's row names
    return bool(header) and (
        loose(header[0]) == "recordid"
        or any("___" in h or "(choice=" in h for h in header)
        or any(h.startswith(METADATA_PREFIXES) for h in header)
    )


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    header = table.head(1)[0]
    result = ColumnPlan(NAME, list(header), missing=frozenset({"NA"}))
    matcher = Matcher(instrument)
    complete: list[int] = []
    stamps: list[int] = []
    first = 1 if len(header) > 1 and not header[0].strip() else 0  # R's row names
    for i, name in enumerate(header):
        key = name.strip().casefold()
        role = role_of(name)
        if i < first:
            continue
        if key == "complete?" or (key.endswith("_complete") and matcher.question(name) is None):
            complete.append(i)
        elif i == first and role is None:
            result.roles[EXTERNAL_ID] = i  # the record id
            result.roles[RESPONSE_ID] = i  # …or an anonymous respondent's own id
        elif key.endswith("_timestamp") and matcher.question(name) is None:
            stamps.append(i)
        elif key.startswith(METADATA_PREFIXES):
            result.ignored.append(name)
        elif not result.claim(i, role):
            labelled = _CHOICE.match(name.strip())  # labels export: "Question (choice=Label)"
            result.place(
                i,
                matcher.part(labelled["label"], labelled["choice"])
                if labelled
                else matcher.match(name),
            )
    named = TOKEN in result.roles or ORG_NAME in result.roles
    if named and result.roles.get(EXTERNAL_ID) == first:
        del result.roles[EXTERNAL_ID]  # the record id only when nothing better names it
        del result.roles[RESPONSE_ID]
        result.ignored.append(header[first])
    if stamps:
        result.roles[SUBMITTED] = stamps[0]
        result.more_times[SUBMITTED] = stamps[1:]
    if complete:
        result.status_field = header[complete[0]]
        result.status_rule = _all_complete(complete)
    return result


def _all_complete(indexes: list[int]) -> Callable[[Sequence[str]], ResponseStatus]:
    def read(cells: Sequence[str]) -> ResponseStatus:
        done = all(cells[i].strip().casefold() in COMPLETE for i in indexes)
        return ResponseStatus.SUBMITTED if done else ResponseStatus.DRAFT

    return read
