"""After a withdrawal a participant's words leave every view that exists, kept for audit.

Each view below is asked which segments it shows; a new view that reads segments belongs
in VIEWS, so this test holds it to the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.fieldwork.consent import has_withdrawn
from innostudy.fieldwork.consent_records import withdraw
from innostudy.fieldwork.participants import find_participant
from innostudy.model import GroupSession, Quote, Segment, SegmentRaw, Speaker, Transcript
from innostudy.reporting.document import QuoteList
from innostudy.reporting.outline import study_outline
from innostudy.reporting.quotes import load_quotes
from innostudy.reporting.render import build_document
from innostudy.storage.store import StudyStore
from innostudy.transcripts.listing import redaction_rows, transcript_rows
from innostudy.transcripts.usable import (
    is_usable,
    segment_views,
    usable_segments,
    withdrawn_segment_ids,
)

View = Callable[[Session, StudyStore], set[int]]


def _usable(s: Session, _store: StudyStore) -> set[int]:
    return set(s.scalars(usable_segments().with_only_columns(Segment.id)))


def _usable_quote_ids(s: Session) -> list[int]:
    return [r.id for r in load_quotes(s) if r.refusal is None]


def _quotes(s: Session, _store: StudyStore) -> set[int]:
    return {s.get_one(Quote, qid).segment_id for qid in _usable_quote_ids(s)}


def _report(s: Session, store: StudyStore) -> set[int]:
    document, _ = build_document(store, study_outline(store)[0], "")
    labels = {
        q.label
        for sec in document.sections
        for b in sec.blocks
        if isinstance(b, QuoteList)
        for q in b.quotes
    }
    return {s.get_one(Quote, int(label[2:])).segment_id for label in labels}


def _shown(s: Session, _store: StudyStore) -> set[int]:
    return {v.id for t in s.scalars(sa.select(Transcript)) for v in segment_views(s, t) if v.text}


VIEWS: dict[str, View] = {
    "usable_segments": _usable,
    "usable quotes": _quotes,
    "report": _report,
    "transcripts show": _shown,
}


def _withdraw_a_quoted_speaker(store: StudyStore) -> tuple[int, set[int]]:
    """Withdraw the speaker of the first verified quote; return them and their segments."""
    with store.session() as s:
        quote = s.get_one(Quote, _usable_quote_ids(s)[0])
        speaker = quote.segment.speaker
        assert speaker is not None and speaker.participant is not None
        participant = speaker.participant
        withdraw(s, find_participant(s, participant.code), reason="test")
        theirs = set(
            s.scalars(
                sa.select(Segment.id).join(Speaker).where(Speaker.participant_id == participant.id)
            )
        )
        return participant.id, theirs


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_leaves_out_withdrawn_words(demo_copy: Path, view: str) -> None:
    with StudyStore.open(demo_copy) as store:
        with store.session() as s:
            before = VIEWS[view](s, store)
        _, theirs = _withdraw_a_quoted_speaker(store)
        assert theirs & before, "the view showed the participant's words before"
        with store.session() as s:
            after = VIEWS[view](s, store)
            withdrawn = withdrawn_segment_ids(s)
    assert theirs <= withdrawn
    assert not after & withdrawn
    assert before - after <= withdrawn  # nothing else went missing


def test_sql_and_python_rules_agree_and_audit_keeps_everything(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store:
        pid, theirs = _withdraw_a_quoted_speaker(store)
        with store.session() as s:
            segments = s.scalars(sa.select(Segment)).all()
            usable = set(s.scalars(usable_segments().with_only_columns(Segment.id)))
            assert {seg.id for seg in segments if is_usable(seg)} == usable
            assert len(usable) == len(segments) - len(withdrawn_segment_ids(s))
            # kept for audit: raw text and segments are all still there
            assert s.scalar(sa.select(sa.func.count()).select_from(SegmentRaw)) == len(segments)
            counted = sum(r.withdrawn_segments for r in transcript_rows(s))
            assert counted == len(withdrawn_segment_ids(s))
            flagged = {r.segment_id for r in redaction_rows(s) if r.withdrawn}
            assert flagged <= withdrawn_segment_ids(s)
            withdrawn_people = {
                sp.participant_id
                for sp in s.scalars(sa.select(Speaker))
                if sp.participant is not None and has_withdrawn(sp.participant.consent)
            }
    assert pid in withdrawn_people and theirs


def test_filters_narrow_to_a_group_and_to_verbatim_sources(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        transcript = s.scalars(sa.select(Transcript).order_by(Transcript.id)).first()
        assert transcript is not None
        group_id = transcript.session.focus_group_id
        in_group = s.scalars(usable_segments(focus_group_id=group_id)).all()
        of_group = set(
            s.scalars(
                sa.select(Transcript.id)
                .join(GroupSession)
                .where(GroupSession.focus_group_id == group_id)
            )
        )
        assert transcript.id in of_group
        assert len(of_group) < len(s.scalars(sa.select(Transcript.id)).all())
        assert in_group and {seg.transcript_id for seg in in_group} == of_group
        verbatim = s.scalars(usable_segments(verbatim_only=True)).all()
        assert len(verbatim) == len(s.scalars(usable_segments()).all())  # the demo has no notes


def test_notes_never_give_quotes(demo_copy: Path) -> None:
    from innostudy.coding.codebook import codes_by_key, study_codebook
    from innostudy.coding.manual import apply_code, coder_named
    from innostudy.coding.quotes import select_quote
    from innostudy.fieldwork.sessions import find_session
    from innostudy.transcripts.importing import import_transcript

    notes = Path(__file__).parent / "fixtures" / "notes.md"
    with StudyStore.open(demo_copy) as store, store.session() as s:
        session = find_session(s, 3)  # the senior group: SCS-02 exists there
        transcript = import_transcript(s, notes, session)
        assert transcript.kind.value == "notes"
        segment = transcript.segments[0]
        assert segment.speaker is not None and segment.speaker.participant is not None
        code = next(iter(codes_by_key(s, study_codebook(s)).values()))
        coding = apply_code(s, segment, code, coder_named(s, "t"), 0, len(segment.text))
        quote = select_quote(s, coding)
        assert quote.id not in _usable_quote_ids(s)


def test_the_rule_holds_on_both_backends(database_url: str, tmp_path: Path) -> None:
    from innostudy.fieldwork.groups import PersonalDetails, add_group, add_participant
    from innostudy.fieldwork.sessions import add_session
    from innostudy.studies import init_study
    from innostudy.transcripts.importing import import_transcript

    folder = init_study(tmp_path / "s", database_url=database_url)
    with StudyStore.open(folder, database_url=database_url) as store:
        with store.session() as s:
            group = add_group(s, "G", "cs_senior")
            for name in ("Łukasz Nowak", "Siân Price"):
                add_participant(s, group, personal=PersonalDetails(name))
            vtt = Path(__file__).parent / "fixtures" / "zoom.vtt"
            import_transcript(s, vtt, add_session(s, group))
            withdraw(s, find_participant(s, "SCS-01"), reason="test")
        with store.session() as s:
            kept = [seg.text for seg in s.scalars(usable_segments())]
            assert kept == [
                "Good morning. Could each of you say a word about your role?",
                "I'm a director, mostly policy.",
            ]
            assert len(withdrawn_segment_ids(s)) == 1
            # coding's rows come from the same query, narrowed to participants' turns
            from innostudy.coding.segments import codable_segments

            rows = codable_segments(s)
            assert [r.text for r in rows] == ["I'm a director, mostly policy."]
            assert [r.participant_code for r in rows] == ["SCS-02"]
