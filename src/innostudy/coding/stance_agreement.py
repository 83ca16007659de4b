"""Reliability of stance coding between coders, reported as codes are: pure figures over
plain judgements, and one query that gathers them.

A unit is a turn *and* a theme: two coders' stances on a turn can be compared only where
both coded that turn with that code and set a stance. Units only one coder judged are
missing for the others, as for codes; units coded by both where a stance is missing are
counted apart (``unfinished``), never as a disagreement. The figures are
``coding.reliability``'s: percent agreement, Cohen's kappa (the mean over pairs beyond
two coders) and Krippendorff's nominal alpha, overall and per stance (that stance or
not), with the disagreements listed in transcript order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from statistics import mean

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.coded import accepted_by_person
from innostudy.coding.reliability import cohen_kappa, krippendorff_alpha, percent_agreement
from innostudy.coding.segments import codable_segments
from innostudy.model import Code, Coder, Coding, Stance

Unit = tuple[int, str]  # segment id, code key
StanceJudgements = Mapping[str, Mapping[Unit, Stance | None]]
"""coder → (turn, theme) they coded → their stance on it (None: not set yet)."""


@dataclass(frozen=True)
class StanceDisagreement:
    segment_id: int
    code: str
    stances: dict[str, Stance]  # coder → stance


@dataclass(frozen=True)
class StanceAgreement:
    coders: tuple[str, ...]
    units: int  # (turn, theme) units with a stance from two or more coders
    unfinished: int  # units two or more coders coded where someone set no stance
    percent: float | None  # all coders gave the same stance
    kappa: float | None  # Cohen's; Light's mean over pairs beyond two coders
    alpha: float | None  # Krippendorff's nominal alpha
    per_stance: dict[Stance, float | None]  # kappa of "this stance or another"
    confusion: dict[tuple[Stance, Stance], int]  # first two coders: (first's, second's) → units
    disagreements: tuple[StanceDisagreement, ...]


def stance_agreement(judgements: StanceJudgements, order: Mapping[int, int]) -> StanceAgreement:
    """The figures over ``judgements``; ``order`` ranks segments (transcript order) for
    listing disagreements."""
    coders = tuple(judgements)
    seen = Counter(u for c in coders for u in judgements[c])
    shared = sorted((u for u, n in seen.items() if n >= 2), key=lambda u: (order.get(u[0], 0), u))
    complete = [u for u in shared if _stances(judgements, coders, u)[1] >= 2]
    unfinished = len(shared) - len(complete)

    def labels(coder: str, pick: Stance | None = None) -> list[Hashable | None]:
        out: list[Hashable | None] = []
        for u in complete:
            s = judgements[coder].get(u)
            out.append(None if s is None else (s if pick is None else s is pick))
        return out

    pairs = list(combinations(coders, 2))
    return StanceAgreement(
        coders=coders,
        units=len(complete),
        unfinished=unfinished,
        percent=_mean(_paired(percent_agreement, labels(a), labels(b)) for a, b in pairs),
        kappa=_mean(_paired(cohen_kappa, labels(a), labels(b)) for a, b in pairs),
        alpha=krippendorff_alpha([labels(c) for c in coders]),
        per_stance={
            s: _mean(_paired(cohen_kappa, labels(a, s), labels(b, s)) for a, b in pairs)
            for s in Stance
        },
        confusion=_confusion(judgements, coders, complete),
        disagreements=tuple(_disagreements(judgements, coders, complete)),
    )


def _stances(
    judgements: StanceJudgements, coders: Sequence[str], unit: Unit
) -> tuple[set[Stance], int]:
    given = [judgements[c].get(unit) for c in coders if unit in judgements[c]]
    return {s for s in given if s is not None}, sum(s is not None for s in given)


Measure = Callable[[Sequence[Hashable], Sequence[Hashable]], float | None]


def _paired(measure: Measure, a: list[Hashable | None], b: list[Hashable | None]) -> float | None:
    """The measure over units both coders gave a stance on."""
    both = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return measure([x for x, _ in both], [y for _, y in both])


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return mean(known) if known else None


def _confusion(
    judgements: StanceJudgements, coders: Sequence[str], units: Sequence[Unit]
) -> dict[tuple[Stance, Stance], int]:
    if len(coders) < 2:
        return {}
    first, second = judgements[coders[0]], judgements[coders[1]]
    table: Counter[tuple[Stance, Stance]] = Counter()
    for u in units:
        a, b = first.get(u), second.get(u)
        if a is not None and b is not None:
            table[(a, b)] += 1
    return dict(table)


def _disagreements(
    judgements: StanceJudgements, coders: Sequence[str], units: Sequence[Unit]
) -> list[StanceDisagreement]:
    out = []
    for u in units:
        given = {c: s for c in coders if (s := judgements[c].get(u)) is not None}
        if len(set(given.values())) > 1:
            out.append(StanceDisagreement(u[0], u[1], given))
    return out


def stance_judgements(
    session: Session, coders: Sequence[str], *, transcript_id: int | None = None
) -> tuple[dict[str, dict[Unit, Stance | None]], dict[int, int]]:
    """Each coder's accepted codings on usable turns as (turn, theme) → stance, and the
    turns' transcript order."""
    segments = codable_segments(session, transcript_id=transcript_id)
    order = {s.id: i for i, s in enumerate(segments)}
    query = (
        sa.select(Coder.name, Coding.segment_id, Code.key, Coding.stance)
        .join(Coder, Coder.id == Coding.coder_id)
        .join(Code, Code.id == Coding.code_id)
        .where(accepted_by_person(), Coder.name.in_(list(coders)))
        .order_by(Coding.id)
    )
    found: dict[str, dict[Unit, Stance | None]] = {c: {} for c in coders}
    for coder, segment_id, key, stance in session.execute(query):
        if segment_id in order:
            mine = found[coder]
            mine[(segment_id, key)] = mine.get((segment_id, key)) or stance
    return found, order
