"""Code matrices as DataFrames for the CLI: by focus group and by sector (views of the one
code-by-group matrix in ``coding.group_matrix``), co-occurrence, and the joint display
that sets each group's talk beside the survey answers of its organisations.

Counts are *units*, each once: turns by default (a turn coded twice with one code by two
coders counts once), or participants or groups (``group_matrix.UNITS``, the one
definition): co-occurrence by participant counts the people who raised both codes,
by group the groups where both came up. Parent codes roll up as in the group matrix
(a parent counts a unit coded with it or any code below it, once), except in
co-occurrence, which pairs the codes as they were applied: a parent always co-occurs
with its own children, which says nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from itertools import combinations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.coded import coded_rows
from innostudy.coding.group_matrix import UNITS, Unit, code_group_matrix, rolled_up
from innostudy.errors import InputError
from innostudy.model import Response, ResponseStatus


def code_by_group(
    session: Session, *, coders: Sequence[str] | None = None, unit: Unit = "turn"
) -> dict[str, pd.DataFrame]:
    """Coded units per code and group, and their share of the group's units."""
    return code_group_matrix(session, coders=coders, unit=unit).frames()


def code_by_sector(
    session: Session, *, coders: Sequence[str] | None = None, unit: Unit = "turn"
) -> dict[str, pd.DataFrame]:
    """Civil service against the comparison groups (the study's central contrast)."""
    return code_group_matrix(session, coders=coders, unit=unit).frames(sectors=True)


def _table(pairs: Iterable[tuple[str, str]], columns: list[str]) -> pd.DataFrame:
    counts = Counter(pairs)
    codes = sorted({code for code, _ in counts})
    return pd.DataFrame(
        [[counts.get((code, col), 0) for col in columns] for code in codes],
        index=pd.Index(codes, name="code"),
        columns=columns,
        dtype="int64",
    )


def cooccurrence(
    session: Session, *, coders: Sequence[str] | None = None, unit: Unit = "turn"
) -> pd.DataFrame:
    """Code × code: units carrying both codes (the diagonal: units with the code)."""
    unit_of = UNITS[unit]
    by_segment: dict[Hashable, set[str]] = defaultdict(set)
    for r in coded_rows(session, coders=coders):
        if unit == "turn" or r.segment.group_id is not None:
            by_segment[unit_of(r.segment)].add(r.code)
    codes = sorted({c for s in by_segment.values() for c in s})
    frame = pd.DataFrame(0, index=pd.Index(codes, name="code"), columns=codes, dtype="int64")
    for present in by_segment.values():
        for code in present:
            frame.loc[code, code] += 1
        for a, b in combinations(sorted(present), 2):
            frame.loc[a, b] += 1
            frame.loc[b, a] += 1
    return frame


def answer_values(answers: dict[str, object], question: str) -> list[str]:
    """The values one response gave to ``question`` (``q`` or ``q:item`` for a matrix row)."""
    key, _, item = question.partition(":")
    value = answers.get(key)
    if isinstance(value, dict):
        value = value.get(item) if item else None
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def code_by_survey_answer(
    session: Session, question: str, *, coders: Sequence[str] | None = None, unit: Unit = "turn"
) -> pd.DataFrame:
    """The joint display: coded units per code and per answer that the speaker's
    organisation gave to ``question``, under a first row counting the organisations that
    gave each answer in the survey. A participant (or group) counts once per code and
    answer however many of their turns carry the code."""
    unit_of = UNITS[unit]
    query = sa.select(Response.id, Response.answers).where(
        Response.status == ResponseStatus.SUBMITTED
    )
    answers: dict[int, dict[str, object]] = {rid: ans for rid, ans in session.execute(query).all()}  # noqa: C416
    survey = Counter(v for ans in answers.values() for v in answer_values(ans, question))
    if not survey:
        raise InputError("survey", None, question, "no submitted response answers this question")
    columns = sorted(survey, key=lambda v: (-survey[v], v))
    found: dict[str, set[tuple[Hashable, str]]] = defaultdict(set)  # code → (unit, answer)
    for r in coded_rows(session, coders=coders):
        if r.segment.response_id in answers:
            values = answer_values(answers[r.segment.response_id], question)
            for key in rolled_up(r.code):
                found[key].update((unit_of(r.segment), v) for v in values)
    pairs = [(key, value) for key, units in found.items() for _, value in units]
    talk = _table(pairs, columns)
    header = pd.DataFrame(
        [[survey[c] for c in columns]],
        index=pd.Index(["(organisations answering)"], name="code"),
        columns=columns,
    )
    return pd.concat([header, talk])
