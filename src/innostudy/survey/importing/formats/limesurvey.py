"""LimeSurvey response exports (CSV, "question code" headings).

Columns are question codes, with sub-questions in brackets: ``Q2[SQ001]`` is one
choice of a multiple-choice question (``Y`` or empty) or one row of an array, and
``Q3[1]`` … ``Q3[n]`` hold the answers ranked first … nth. LimeSurvey codes cannot
contain underscores, so ``innovationtitle`` matches the key ``innovation_title``.
``submitdate`` gives the status (no submit date: a draft) and the participant
``token`` names the organisation (give LimeSurvey the tokens from ``survey invite``).
"""

from __future__ import annotations

import re

from innostudy.model import ResponseStatus
from innostudy.survey.importing.matching import Matcher, role_of
from innostudy.survey.importing.plan import Binding, ColumnPlan, RankAt
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument, QuestionType

NAME = "limesurvey"
METADATA = {
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "interviewtime",
}
_PART = re.compile(r"^(?P<code>[^\[\]]+)\[(?P<sub>[^\]]+)\]$")


def detect(table: Table) -> bool:
    header = {h.strip().casefold() for h in table.head(1)[0]}
    return "submitdate" in header and ("lastpage" in header or "startlanguage" in header)


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    header = table.head(1)[0]
    result = ColumnPlan(NAME, list(header), list_separators=(";", ","))
    matcher = Matcher(instrument)
    for i, name in enumerate(header):
        key = name.strip().casefold()
        if key in METADATA or key.endswith("time"):
            result.ignored.append(name)
        elif not result.claim(i, role_of(name)):
            result.place(i, _binding(matcher, name))
    lowered = [h.strip().casefold() for h in header]
    if "submitdate" in lowered:  # an export without it has only completed responses
        submitted = lowered.index("submitdate")
        result.status_field = header[submitted]
        result.status_rule = lambda cells: (
            ResponseStatus.SUBMITTED if cells[submitted].strip() else ResponseStatus.DRAFT
        )
    return result


def _binding(matcher: Matcher, name: str) -> Binding | None:
    split = _PART.match(name.strip())
    if split is None:
        return matcher.match(name)
    q = matcher.question(split["code"])
    if q is None:
        return None
    sub = split["sub"]
    if q.type is QuestionType.RANKING and sub.isdigit():
        return RankAt(q.key, int(sub))
    return matcher.part(q.key, sub)
