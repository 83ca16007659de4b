"""Candidate quotes for a theme, ranked by how typical they are of it, balanced by group.

A quote should stand for what a group said, not for the most colourful thing anyone
said. A turn's typicality is the cosine similarity of its TF-IDF vector to the mean
vector of every turn coded with the same theme in the main coding: a turn that shares
the theme's usual words scores high. TF-IDF, not the embedding model, because it runs
in milliseconds with nothing to load, and its ranking is easy to explain to a reader.
Candidates are balanced as the report's quote blocks are: groups in report order, the
most typical first within each, never a participant who may not be quoted, never the
same speaker twice, and never a turn already chosen as a quote.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy.orm import Session

from innostudy.coding.coded import CodedRow, MainCoding, coded_rows
from innostudy.coding.group_matrix import rolled_up
from innostudy.coding.quotes import quote_refusal
from innostudy.model import Coder, Coding, CodingStatus, Quote, QuoteStatus, Segment
from innostudy.reporting.quotes import report_groups


@dataclass(frozen=True)
class Candidate:
    coding_id: int
    group: str
    theme: str
    typicality: float
    text: str


def candidates(
    session: Session, main: MainCoding, area: str, *, per_group: int = 2
) -> list[Candidate]:
    """Up to ``per_group`` candidates per group for the area, most typical first."""
    rows = [r for r in coded_rows(session, coders=main.coders) if area in rolled_up(r.code)]
    if not rows:
        return []
    texts = {r.segment.id: r.segment.text for r in rows}
    ids = sorted(texts)
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform([texts[i] for i in ids])
    index = {sid: i for i, sid in enumerate(ids)}
    by_theme: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        by_theme[r.code].append(index[r.segment.id])
    quoted = set(
        session.scalars(sa.select(Quote.segment_id).where(Quote.status == QuoteStatus.SELECTED))
    )
    scored: dict[int, list[tuple[float, str, int]]] = defaultdict(list)
    for theme, members in by_theme.items():
        centroid = np.asarray(vectors[members].mean(axis=0))
        norm = float(np.linalg.norm(centroid)) or 1.0
        for m in set(members):
            row = vectors[m].toarray()[0]
            score = float(row @ centroid[0]) / ((float(np.linalg.norm(row)) or 1.0) * norm)
            scored[ids[m]].append((score, theme, ids[m]))
    return _balanced(session, main, rows, scored, quoted, per_group)


def _balanced(
    session: Session,
    main: MainCoding,
    rows: list[CodedRow],
    scored: dict[int, list[tuple[float, str, int]]],
    quoted: set[int],
    per_group: int,
) -> list[Candidate]:
    best = {sid: max(options) for sid, options in scored.items()}
    by_group: dict[int, list[int]] = defaultdict(list)
    speaker = {r.segment.id: r.segment.participant_id for r in rows}
    for r in rows:
        if r.segment.group_id is not None and r.segment.id not in by_group[r.segment.group_id]:
            by_group[r.segment.group_id].append(r.segment.id)
    out: list[Candidate] = []
    seen: set[int] = set()
    for group in report_groups(session):
        ranked = sorted(by_group.get(group.id, []), key=lambda sid: -best[sid][0])
        taken = 0
        for sid in ranked:
            if taken >= per_group or sid in quoted or speaker[sid] in seen:
                continue
            segment = session.get(Segment, sid)
            if segment is None or quote_refusal(segment) is not None:
                continue
            coding = _coding(session, sid, best[sid][1], main)
            if coding is None:
                continue
            out.append(Candidate(coding, group.label, best[sid][1], best[sid][0], segment.text))
            seen.add(speaker[sid])
            taken += 1
    return out


def _coding(session: Session, segment_id: int, theme: str, main: MainCoding) -> int | None:
    """The main coding's coding of the turn with the theme (what `quotes add` needs)."""
    from innostudy.model import Code

    return session.scalar(
        sa.select(Coding.id)
        .join(Code, Coding.code_id == Code.id)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(
            Coding.segment_id == segment_id,
            Code.key == theme,
            Coder.name.in_(main.coders),
            Coding.status == CodingStatus.ACCEPTED,
        )
        .order_by(Coding.id)
        .limit(1)
    )
