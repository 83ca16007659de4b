"""REDCap CSV exports (raw or labels), with or without the data dictionary at hand.

Checkbox fields come as ``field___code`` columns (1/0, or Checked/Unchecked), choice
fields as raw codes or labels, matrix rows as separate fields (matched to the items of
a Likert matrix). The record ID (the first column) names the organisation as its
external id unless the export has a token, external_id or organisation field. The
``<form>_complete`` columns give the status: every form Complete (2) is submitted,
anything else a draft.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from innostudy.model import ResponseStatus
from innostudy.survey.importing.matching import Matcher, loose, role_of
from innostudy.survey.importing.plan import EXTERNAL_ID, TOKEN, ColumnPlan
from innostudy.survey.importing.plan import NAME as ORG_NAME
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument

NAME = "redcap"
METADATA_PREFIXES = ("redcap_",)
COMPLETE = {"2", "complete"}
_CHOICE = re.compile(r"^(?P<label>.+) \(choice=(?P<choice>.+)\)$")


def detect(table: Table) -> bool:
    header = [h.strip().casefold() for h in table.head(1)[0]]
    return bool(header) and (
        loose(header[0]) == "recordid"
        or any("___" in h or "(choice=" in h for h in header)
        or any(h.startswith(METADATA_PREFIXES) for h in header)
    )


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    header = table.head(1)[0]
    result = ColumnPlan(NAME, list(header))
    matcher = Matcher(instrument)
    complete: list[int] = []
    for i, name in enumerate(header):
        key = name.strip().casefold()
        role = role_of(name)
        if key == "complete?" or (key.endswith("_complete") and matcher.question(name) is None):
            complete.append(i)
        elif i == 0 and role is None:
            result.roles[EXTERNAL_ID] = i  # the record id
        elif key.startswith(METADATA_PREFIXES) or key.endswith("_timestamp"):
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
    if named and result.roles.get(EXTERNAL_ID) == 0:
        del result.roles[EXTERNAL_ID]  # the record id only when nothing better names it
        result.ignored.append(header[0])
    if complete:
        result.status_field = header[complete[0]]
        result.status_rule = _all_complete(complete)
    return result


def _all_complete(indexes: list[int]) -> Callable[[Sequence[str]], ResponseStatus]:
    def read(cells: Sequence[str]) -> ResponseStatus:
        done = all(cells[i].strip().casefold() in COMPLETE for i in indexes)
        return ResponseStatus.SUBMITTED if done else ResponseStatus.DRAFT

    return read
