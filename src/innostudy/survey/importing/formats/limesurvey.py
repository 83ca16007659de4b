"""LimeSurvey response exports (CSV, "question code" headings).

Columns are question codes, with sub-questions in brackets: ``Q2[SQ001]`` is one
choice of a multiple-choice question (``Y`` or empty) or one row of an array, and
``Q3[1]`` … ``Q3[n]`` hold the answers ranked first … nth. LimeSurvey codes cannot
contain underscores, so ``innovationtitle`` matches the key ``innovation_title``.
``submitdate`` gives the status (no submit date: a draft) and the participant
``token`` names the organisation (give LimeSurvey the tokens from ``survey invite``); a
survey without tokens is kept under LimeSurvey's response ``id``. ``startdate``,
``submitdate`` and ``datestamp`` (last action) are the respondent's times. A dual-scale
array's ``Q[SQ001#0]`` and ``Q[SQ001#1]`` are items of two matrices, and a multiple
numerical or short-text input's ``Q[SQ001]`` is a question of its own (lss.py names
them ``Q_1``/``Q_2`` and ``Q_SQ001``).
"""

from __future__ import annotations

import re

from innostudy.model import ResponseStatus
from innostudy.survey.importing.matching import Matcher, role_of
from innostudy.survey.importing.plan import (
    RECEIVED,
    RESPONSE_ID,
    STARTED,
    SUBMITTED,
    Binding,
    ColumnPlan,
    RankAt,
    Whole,
)
from innostudy.survey.importing.tables import Table
from innostudy.survey.instrument import Instrument, QuestionType
from innostudy.survey.lss import dual_scale_key, part_key

NAME = "limesurvey"
METADATA = {
    "lastpage",
    "startlanguage",
    "seed",
    "ipaddr",
    "refurl",
    "interviewtime",
}
_PART = re.compile(r"^(?P<code>[^\[\]]+)\[(?P<sub>[^\]]+)\]$")


def detect(table: Table) -> bool:
    header = {h.strip().casefold() for h in table.head(1)[0]}
    return "submitdate" in header and ("lastpage" in header or "startlanguage" in header)


ROLES = {"id": RESPONSE_ID, "startdate": STARTED, "submitdate": SUBMITTED, "datestamp": RECEIVED}


def plan(table: Table, instrument: Instrument) -> ColumnPlan:
    header = table.head(1)[0]
    result = ColumnPlan(NAME, list(header), list_separators=(";", ","))
    matcher = Matcher(instrument)
    for i, name in enumerate(header):
        key = name.strip().casefold()
        if key in ROLES:
            result.claim(i, ROLES[key])
        elif key in METADATA or key.endswith("time"):
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
    code, sub = split["code"], split["sub"]
    item, hash_, scale = sub.partition("#")
    if hash_ and scale.isdigit():  # a dual-scale array: item of the scale's matrix
        matrix = matcher.question(dual_scale_key(code, int(scale)))
        return matcher.part(matrix.key, item) if matrix is not None else None
    q = matcher.question(code)
    if q is None:
        whole = matcher.question(part_key(code, sub))  # multiple numerical or text input
        return Whole(whole.key) if whole is not None else None
    if q.type is QuestionType.RANKING and sub.isdigit():
        return RankAt(q.key, int(sub))
    return matcher.part(q.key, sub)
