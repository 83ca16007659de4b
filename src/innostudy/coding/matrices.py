"""Code matrices as DataFrames: by focus group, by sector, co-occurrence, and the joint
display that sets each group's talk beside the survey answers of its organisations.

Counts are *segments* (a segment coded twice with one code by two coders counts once);
shares divide by the number of usable participant segments in the column's group, so a
talkative group does not look more concerned with everything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.coded import CodedRow, coded_rows
from innostudy.coding.segments import SegmentRow, codable_segments
from innostudy.errors import InputError
from innostudy.model import Response, ResponseStatus

SECTOR_LABELS = {"civil_service": "Civil service", "comparison": "Comparison"}


def _distinct(rows: Iterable[CodedRow]) -> list[CodedRow]:
    seen: set[tuple[int, str]] = set()
    out = []
    for r in rows:
        if (r.segment.id, r.code) not in seen:
            seen.add((r.segment.id, r.code))
            out.append(r)
    return out


def _table(pairs: Iterable[tuple[str, str]], columns: list[str]) -> pd.DataFrame:
    counts = Counter(pairs)
    codes = sorted({code for code, _ in counts})
    frame = pd.DataFrame(
        [[counts.get((code, col), 0) for col in columns] for code in codes],
        index=pd.Index(codes, name="code"),
        columns=columns,
        dtype="int64",
    )
    return frame


def code_by_group(session: Session, *, coders: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Coded segments per code and group, and their share of the group's segments."""
    rows = _distinct(coded_rows(session, coders=coders))
    segments = codable_segments(session)
    groups = sorted({s.group_label for s in segments if s.group_label})
    return _counts_and_share(rows, segments, groups, lambda s: s.group_label)


def code_by_sector(session: Session, *, coders: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Civil service against the comparison groups (the study's central contrast)."""
    rows = _distinct(coded_rows(session, coders=coders))
    segments = codable_segments(session)
    sectors = [
        label for key, label in SECTOR_LABELS.items() if any(s.sector == key for s in segments)
    ]
    return _counts_and_share(rows, segments, sectors, lambda s: SECTOR_LABELS.get(s.sector, ""))


def _counts_and_share(
    rows: list[CodedRow], segments: list[SegmentRow], columns: list[str], column_of: object
) -> dict[str, pd.DataFrame]:
    assert callable(column_of)
    counts = _table(((r.code, column_of(r.segment)) for r in rows), columns)
    totals = Counter(column_of(s) for s in segments)
    share = counts.astype("float64")
    for col in columns:
        share[col] = counts[col] / totals[col] if totals[col] else 0.0
    return {"counts": counts, "share": share.round(4)}


def cooccurrence(session: Session, *, coders: list[str] | None = None) -> pd.DataFrame:
    """Code × code: segments carrying both codes (the diagonal: segments with the code)."""
    by_segment: dict[int, set[str]] = defaultdict(set)
    for r in coded_rows(session, coders=coders):
        by_segment[r.segment.id].add(r.code)
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
    session: Session, question: str, *, coders: list[str] | None = None
) -> pd.DataFrame:
    """The joint display: coded segments per code and per answer that the speaker's
    organisation gave to ``question``, under a first row counting the organisations that
    gave each answer in the survey."""
    query = sa.select(Response.id, Response.answers).where(
        Response.status == ResponseStatus.SUBMITTED
    )
    answers: dict[int, dict[str, object]] = {rid: ans for rid, ans in session.execute(query).all()}  # noqa: C416
    survey = Counter(v for ans in answers.values() for v in answer_values(ans, question))
    if not survey:
        raise InputError("survey", None, question, "no submitted response answers this question")
    columns = sorted(survey, key=lambda v: (-survey[v], v))
    pairs = [
        (r.code, value)
        for r in _distinct(coded_rows(session, coders=coders))
        if r.segment.response_id in answers
        for value in answer_values(answers[r.segment.response_id], question)
    ]
    talk = _table(pairs, columns)
    header = pd.DataFrame(
        [[survey[c] for c in columns]],
        index=pd.Index(["(organisations answering)"], name="code"),
        columns=columns,
    )
    return pd.concat([header, talk])
