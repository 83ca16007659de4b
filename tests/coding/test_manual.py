from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named, review_suggestion
from innostudy.errors import InputError
from innostudy.model import AuditEvent, CoderKind, Coding, CodingStatus, Segment
from innostudy.storage.store import StudyStore


def test_span_problems_are_refused(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        segment = s.scalars(sa.select(Segment).order_by(Segment.id)).first()
        assert segment is not None
        code = codes_by_key(s, study_codebook(s))["costs.budgeting"]
        coder = coder_named(s, "tester")
        with pytest.raises(InputError, match="is outside the text"):
            apply_code(s, segment, code, coder, 0, len(segment.text) + 1)
        with pytest.raises(InputError, match="is empty"):
            apply_code(s, segment, code, coder, 4, 4)
        first = apply_code(s, segment, code, coder, 0, 5)
        assert apply_code(s, segment, code, coder, 0, 5).id == first.id


def test_accepting_a_suggestion_keeps_both_judgements(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        segment = s.scalars(sa.select(Segment).order_by(Segment.id)).first()
        assert segment is not None
        codes = codes_by_key(s, study_codebook(s))
        model = coder_named(s, "model", CoderKind.MODEL)
        person = coder_named(s, "reviewer")
        good = apply_code(
            s,
            segment,
            codes["costs.speed"],
            model,
            0,
            6,
            status=CodingStatus.SUGGESTED,
            confidence=0.8,
        )
        bad = apply_code(
            s, segment, codes["impacts.measurement"], model, 0, 6, status=CodingStatus.SUGGESTED
        )
        mine = review_suggestion(s, good, person, accept=True)
        assert review_suggestion(s, bad, person, accept=False) is None
        assert good.status is CodingStatus.ACCEPTED and bad.status is CodingStatus.REJECTED
        assert mine is not None and mine.coder_id == person.id and (mine.start, mine.end) == (0, 6)
        assert mine.reason == {"accepted_suggestion": good.id}
        events = s.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.action == "suggestion.review", AuditEvent.actor == "reviewer"
            )
        ).all()
        assert [e.detail["verdict"] for e in events] == ["accepted", "rejected"]
        with pytest.raises(InputError, match="not a suggestion"):
            review_suggestion(s, good, person, accept=False)
        assert (
            s.scalar(
                sa.select(sa.func.count()).select_from(Coding).where(Coding.coder_id == person.id)
            )
            == 1
        )
