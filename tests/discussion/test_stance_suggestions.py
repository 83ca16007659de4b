"""Stance suggestions: proposed from the first turn on a theme and from the model, learned
from the stances people set, never applied without a person."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innostudy.coding.auto.base import HashingEncoder
from innostudy.coding.auto.stances import open_stance_suggestions, opening, suggest_stances
from innostudy.coding.manual import set_stance
from innostudy.errors import InputError
from innostudy.model import AuditEvent, Code, Coder, Coding, Segment, Stance, StanceSuggestion
from innostudy.storage.store import StudyStore

from .conftest import SmallStudy


def _ana(s: sa.orm.Session, segment_id: int, key: str) -> Coding:
    coding = s.scalar(
        sa.select(Coding)
        .join(Coder)
        .join(Code)
        .where(Coder.name == "ana", Coding.segment_id == segment_id, Code.key == key)
    )
    assert coding is not None
    return coding


def test_suggestions_wait_for_a_person(small_study: SmallStudy) -> None:
    seg = small_study.segments
    senior, business = small_study.senior_transcript, small_study.business_transcript
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        cleared = [
            _ana(s, seg[(senior, 2)], "costs.approval"),  # a reply: the model decides
            _ana(s, seg[(business, 2)], "origins.users"),  # a reply
            _ana(s, seg[(business, 3)], "barriers.risk"),  # first on risk in that transcript
        ]
        for coding in cleared:
            set_stance(s, coding, None, actor="ana")
        run = suggest_stances(s, HashingEncoder(), coders=["ana"])
        # ana set 4 stances, ben 4 (SCS-03's turn is gone); 7 of them on first turns, all new
        assert (run.codings, run.first_on_theme, run.examples) == (3, 1, 8)
        proposals = open_stance_suggestions(s, [c.id for c in cleared])
        first = proposals[cleared[2].id]
        assert (first.stance, first.confidence) == (Stance.NEW, pytest.approx(8 / 9, abs=1e-4))
        assert first.reason["rule"] == "first turn on this theme in the transcript"
        for coding in cleared[:2]:
            made = proposals[coding.id]
            assert made.reason["model"] == "hashing-256"
            assert made.reason["learned_from"] == 1  # ben's one stance on a later turn
            assert 0 < made.confidence <= 1
            assert next(k for k, _ in made.reason["ranked"]) == made.stance.value
        assert all(c.stance is None for c in cleared)  # nothing applied

        again = suggest_stances(s, HashingEncoder(), coders=["ana"])
        assert again.codings == 3
        assert s.scalar(sa.select(sa.func.count()).select_from(StanceSuggestion)) == 3

        set_stance(s, cleared[0], Stance.QUALIFY, actor="ana")
        assert cleared[0].id not in open_stance_suggestions(s, [c.id for c in cleared])
        audit = s.scalars(
            sa.select(AuditEvent.detail).where(
                AuditEvent.action == "coding.stance", AuditEvent.entity_id == cleared[0].id
            )
        ).all()
        assert audit[-2:] == [{"from": "agree", "to": None}, {"from": None, "to": "qualify"}]


def test_a_stance_belongs_to_a_persons_accepted_coding(small_study: SmallStudy) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        segment = s.get_one(Segment, small_study.segments[(small_study.senior_transcript, 1)])
        model = Coder(name="autocoder", kind="model")
        s.add(model)
        s.flush()
        code = s.scalar(sa.select(Code).where(Code.key == "costs.approval"))
        assert code is not None
        suggestion = Coding(
            segment_id=segment.id,
            code_id=code.id,
            coder_id=model.id,
            start=0,
            end=5,
            status="suggested",
        )
        s.add(suggestion)
        s.flush()
        with pytest.raises(InputError) as info:
            set_stance(s, suggestion, Stance.AGREE, actor="ana")
    assert str(info.value) == (
        f"coding {suggestion.id}, field 'stance': only a person's accepted coding takes a "
        "stance (accept the suggestion first)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes, but only in my team. The rest is fine.", "Yes, but only in my team."),
        # short sentences run on to the first end after six words
        ("No. Never. I do not think so. Not at all.", "No. Never. I do not think so."),
        (" ".join(["word"] * 30), " ".join(["word"] * 24)),
    ],
)
def test_a_stance_is_read_from_the_opening(text: str, expected: str) -> None:
    assert opening(text) == expected
