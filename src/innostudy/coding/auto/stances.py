"""Stance suggestions: the same local model that suggests codes, learning from the stances
coders set, proposing one for each coded turn that has none. Nothing is applied: a
suggestion waits in ``stance_suggestion`` until a person sets the stance.

Two sources, each named in the suggestion's reason:

* **The first turn on a theme.** In the coder's own coding of a transcript, the first
  turn coded with a theme has nothing to agree or disagree with yet, so "new point" is
  proposed, with the confidence coders have earned it: the share (smoothed) of such first
  turns they marked as new. Should coders mark first turns otherwise more often than
  not, the model below decides instead.
* **Every later turn**: the auto-coder (``learner.EmbeddingCoder`` behind the ``Encoder``
  seam) fitted on a small stance book (a description and examples per stance, the
  zero-shot evidence) and on the opening words of every turn coders have set a stance
  on (what one says first carries the stance: "Yes, but…", "I don't buy that").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.auto.base import CodeText, Encoder, Example
from innostudy.coding.auto.learner import EmbeddingCoder
from innostudy.coding.coded import accepted_by_person
from innostudy.coding.segments import codable_segments
from innostudy.model import Code, Coder, Coding, Stance, StanceSuggestion

OPENING_WORDS = 24  # at most; the opening sentence when it is shorter (but not under 6)
_SENTENCE_END = re.compile(r"[.!?…]$")

STANCE_BOOK = (
    CodeText(
        Stance.NEW.value,
        "New point",
        "Raises the theme, or brings a point about it that nobody has made yet.",
        "Introduces an example, a reason or an angle of one's own.",
        (
            "Another thing nobody has mentioned is how long the contract took.",
            "In my organisation the problem was different again.",
        ),
    ),
    CodeText(
        Stance.AGREE.value,
        "Agrees",
        "Takes up what the previous speakers said on the theme and supports it.",
        "Assent, support, the same experience offered as confirmation.",
        ("Yes, exactly, that was our experience too.", "I agree with that completely."),
    ),
    CodeText(
        Stance.DISAGREE.value,
        "Disagrees",
        "Contradicts or rejects what was said on the theme.",
        "Denial, the opposite experience offered as a counter-example.",
        ("No, I don't think that's right at all.", "I'd say the opposite, actually."),
    ),
    CodeText(
        Stance.QUALIFY.value,
        "Qualifies",
        "Accepts what was said only in part, with a condition or an exception.",
        "Yes-but, it depends, partly, only when.",
        ("Yes, but only for the smaller projects.", "It depends on who is sponsoring it."),
    ),
)


def opening(text: str) -> str:
    """The words a stance is read from: the first sentence, 6 to OPENING_WORDS words."""
    words = text.split()
    for n, word in enumerate(words[:OPENING_WORDS], 1):
        if n >= 6 and _SENTENCE_END.search(word):
            return " ".join(words[:n])
    return " ".join(words[:OPENING_WORDS])


@dataclass(frozen=True)
class StanceRun:
    codings: int  # codings without a stance that got a suggestion
    first_on_theme: int  # of which: the first turn on their theme
    examples: int  # stances set by people, learned from
    encoder: str


@dataclass(frozen=True)
class _Coded:
    coding_id: int
    coder_id: int
    transcript_id: int
    position: int
    code: str
    text: str
    stance: Stance | None


def suggest_stances(
    session: Session,
    encoder: Encoder,
    *,
    coders: Sequence[str] | None = None,
    transcript_id: int | None = None,
) -> StanceRun:
    """Propose a stance for every person's accepted coding without one (narrowed to some
    coders or one transcript); earlier open proposals for those codings are replaced."""
    rows = _coded(session)
    first = _first_on_theme(rows)
    people = {row.id: row.name for row in session.execute(sa.select(Coder.id, Coder.name))}
    targets = [
        r
        for r in rows
        if r.stance is None
        and (not coders or people[r.coder_id] in coders)
        and (transcript_id is None or r.transcript_id == transcript_id)
    ]
    taught = [r for r in rows if r.stance is not None]
    trust = _trust_in_first(taught, first)
    later = [r for r in taught if r.coding_id not in first]
    model = EmbeddingCoder(encoder)
    model.fit(
        STANCE_BOOK,
        [
            Example(opening(r.text), r.stance.value, f"coding {r.coding_id}")
            for r in later
            if r.stance
        ],
    )
    by_rule = [r for r in targets if r.coding_id in first and trust > 0.5]
    by_model = [r for r in targets if r not in by_rule]
    session.execute(
        sa.delete(StanceSuggestion).where(
            StanceSuggestion.coding_id.in_([r.coding_id for r in targets])
        )
    )
    rule_reason = {
        "rule": "first turn on this theme in the transcript",
        "learned_from": len(taught),
    }
    for r in by_rule:
        session.add(
            StanceSuggestion(
                coding_id=r.coding_id,
                stance=Stance.NEW,
                confidence=round(trust, 4),
                reason=rule_reason,
            )
        )
    if by_model:
        for r, s in zip(by_model, model.suggest([opening(r.text) for r in by_model]), strict=True):
            reason = {
                "model": encoder.name,
                "learned_from": len(later),
                "ranked": [[k, p] for k, p in s.ranked],
            }
            session.add(
                StanceSuggestion(
                    coding_id=r.coding_id,
                    stance=Stance(s.code),
                    confidence=s.confidence,
                    reason=reason,
                )
            )
    session.flush()
    return StanceRun(len(targets), len(by_rule), len(taught), encoder.name)


def _coded(session: Session) -> list[_Coded]:
    """People's accepted codings on usable turns, in transcript order."""
    usable = {s.id: s for s in codable_segments(session)}
    query = (
        sa.select(Coding.id, Coding.coder_id, Coding.segment_id, Code.key, Coding.stance)
        .join(Code, Code.id == Coding.code_id)
        .where(accepted_by_person())
        .order_by(Coding.id)
    )
    out = [
        _Coded(cid, coder, seg.transcript_id, seg.position, key, seg.text, stance)
        for cid, coder, sid, key, stance in session.execute(query)
        if (seg := usable.get(sid)) is not None
    ]
    return sorted(out, key=lambda r: (r.transcript_id, r.position, r.coding_id))


def _first_on_theme(rows: Sequence[_Coded]) -> set[int]:
    """Codings on the first turn their coder coded with that theme in the transcript."""
    first: dict[tuple[int, int, str], int] = {}
    found: set[int] = set()
    for r in rows:
        key = (r.coder_id, r.transcript_id, r.code)
        if first.setdefault(key, r.position) == r.position:
            found.add(r.coding_id)
    return found


def _trust_in_first(taught: Sequence[_Coded], first: set[int]) -> float:
    """How often coders marked a first turn on a theme "new" (smoothed: one of each)."""
    judged = [r.stance for r in taught if r.coding_id in first]
    return (sum(s is Stance.NEW for s in judged) + 1) / (len(judged) + 2) if judged else 0.9


def open_stance_suggestions(
    session: Session, coding_ids: Sequence[int]
) -> dict[int, StanceSuggestion]:
    """The model's proposals for these codings, where none of them has a stance yet."""
    if not coding_ids:
        return {}
    rows = session.scalars(
        sa.select(StanceSuggestion)
        .join(Coding, Coding.id == StanceSuggestion.coding_id)
        .where(StanceSuggestion.coding_id.in_(list(coding_ids)), Coding.stance.is_(None))
    )
    return {r.coding_id: r for r in rows}
