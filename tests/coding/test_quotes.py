"""Quotes are proven verbatim and respect consent, whatever chose them."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.coding.quotes import quote_difference
from innostudy.errors import InputError
from innostudy.model import Participant, Quote, utcnow
from innostudy.reporting.quotes import load_quotes
from innostudy.storage.store import StudyStore


def test_exact_text_has_no_difference() -> None:
    assert quote_difference("run yearly", "Budgets run yearly.", 8, 18) is None


def test_a_one_character_edit_is_named() -> None:
    message = quote_difference("run yearly", "Budgets ran yearly.", 8, 18)
    assert (
        message
        == "differs at character 10 of the turn: quote has 'un yearly', transcript has 'an yearly'"
    )


def test_a_span_that_no_longer_fits() -> None:
    assert (
        quote_difference("x", "short", 10, 11)
        == "span 10-11 no longer fits the turn (5 characters)"
    )


def test_an_edited_transcript_stops_verification(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store:
        with store.session() as s:
            quote = s.scalars(sa.select(Quote).order_by(Quote.id)).first()
            assert quote is not None
            segment = quote.segment
            i = quote.start + 3
            segment.text = (
                segment.text[:i] + ("X" if segment.text[i] != "X" else "Y") + segment.text[i + 1 :]
            )
            label = quote.label
        with store.session() as s, pytest.raises(InputError) as info:
            load_quotes(s)
    assert str(info.value).startswith(
        f"{label}, field 'text': quote is no longer verbatim: differs at character 4"
    )


def test_a_withdrawal_refuses_quotes_at_once(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store:
        with store.session() as s:
            before = [r for r in load_quotes(s) if r.refusal is None]
            first = s.get_one(Quote, before[0].id)
            speaker = first.segment.speaker
            assert speaker is not None and speaker.participant is not None
            participant: Participant = speaker.participant
            assert participant.consent is not None
            participant.consent.withdrawn_at = utcnow()
            pid, code = participant.id, participant.code
        with store.session() as s:
            after = {r.id: r for r in load_quotes(s)}
            gone = [r.id for r in before if after[r.id].refusal is not None]
            assert before[0].id in gone
            for qid in gone:
                assert after[qid].refusal == f"participant {code} has withdrawn"
                spk = s.get_one(Quote, qid).segment.speaker
                assert spk is not None and spk.participant_id == pid
