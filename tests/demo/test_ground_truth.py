"""The generator's ground truth matches the study it wrote, and the talk shows the dynamics
each group was written to show (what issue 20's figures must find)."""

from __future__ import annotations

from collections import defaultdict

import pytest
import sqlalchemy as sa

from innostudy.demo.build import DemoSummary
from innostudy.demo.ground_truth import (
    FACILITATOR,
    GroundTruth,
    TruthSession,
    load_ground_truth,
)
from innostudy.model import GroupSession, Segment, Transcript
from innostudy.storage.store import StudyStore

TIMED_FORMATS = {"vtt", "srt"}  # formats that carry an end time for every cue


@pytest.fixture(scope="module")
def truth(demo_study: DemoSummary) -> GroundTruth:
    return load_ground_truth(demo_study.folder)


def test_the_file_is_labelled_synthetic_and_covers_every_transcript_turn(
    demo_study: DemoSummary, truth: GroundTruth
) -> None:
    assert "Synthetic" in truth.note and len(truth.sessions) == 7
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        segments = {seg.id: seg for seg in s.scalars(sa.select(Segment))}
        for session in truth.sessions:
            assert [t.segment_id for t in session.turns] == sorted(
                i for i, seg in segments.items() if seg.transcript_id == session.transcript_id
            )
            for turn in session.turns:
                seg = segments[turn.segment_id]
                assert seg.position == turn.position
                assert len(seg.text.split()) == turn.words
                speaker = seg.speaker
                assert speaker is not None
                code = speaker.participant.code if speaker.participant else FACILITATOR
                assert code == turn.speaker


def test_speaking_times_are_the_timestamps_of_the_transcript(
    demo_study: DemoSummary, truth: GroundTruth
) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        for session in truth.sessions:
            transcript = s.get_one(Transcript, session.transcript_id)
            by_id = {seg.id: seg for seg in transcript.segments}
            timed = transcript.source_format in TIMED_FORMATS
            spoken: dict[str, int] = defaultdict(int)
            for turn in session.turns:
                seg = by_id[turn.segment_id]
                assert seg.start_ms is not None
                assert abs(seg.start_ms - turn.start_ms) < (2 if timed else 1000)
                if timed:
                    assert seg.end_ms is not None and abs(seg.end_ms - turn.end_ms) < 2
                    spoken[turn.speaker] += seg.end_ms - seg.start_ms
            for p in session.participants:
                turns = [t for t in session.turns if t.speaker == p.code]
                assert p.speaking_ms == sum(t.end_ms - t.start_ms for t in turns)
                assert p.turns == len(turns) and p.words == sum(t.words for t in turns)
                if timed:
                    assert abs(spoken[p.code] - p.speaking_ms) <= 2 * len(turns)
                if p.words > 200:  # a plausible pace: 1.5 to 3 words a second
                    assert 1.5 < p.words / (p.speaking_ms / 1000) < 3.0
        formats = [s.get_one(Transcript, x.transcript_id).source_format for x in truth.sessions]
    assert sum(f in TIMED_FORMATS for f in formats) >= 3, formats


def test_session_lengths_are_stored_varied_and_fit_the_clock(
    demo_study: DemoSummary, truth: GroundTruth
) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        stored = {t.id: t.session.duration_minutes for t in s.scalars(sa.select(Transcript))}
        assert all(g.duration_minutes for g in s.scalars(sa.select(GroupSession)))
    minutes = [x.duration_minutes for x in truth.sessions]
    assert [stored[x.transcript_id] for x in truth.sessions] == minutes
    assert len(set(minutes)) >= 4, minutes
    for x in truth.sessions:
        last = x.turns[-1].end_ms
        assert last / 60_000 < x.duration_minutes < last / 60_000 + 3
        briefing = [t for t in x.turns if t.untranscribed_ms > 5 * 60_000]
        assert briefing and briefing[0].speaker == FACILITATOR


def dynamics(truth: GroundTruth, kind: str) -> list[tuple[TruthSession, tuple[str, ...]]]:
    return [(s, args) for s in truth.sessions for k, args in s.dynamics if k == kind]


def words_by_speaker(session: TruthSession) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for t in session.usable_turns():
        counts[t.speaker] += t.words
    return counts


def test_one_group_is_dominated_by_two_voices_and_no_other_is(truth: GroundTruth) -> None:
    [(dominated, voices)] = dynamics(truth, "dominated")
    for session in truth.sessions:
        counts = words_by_speaker(session)
        top = sorted(counts, key=lambda c: -counts[c])[:2]
        share = sum(counts[c] for c in top) / sum(counts.values())
        if session is dominated:
            assert set(top) == set(voices) and share > 0.6, share
        else:
            assert share < 0.45, (session.group, share)


def test_one_group_splits_on_a_theme(truth: GroundTruth) -> None:
    [(session, (theme,))] = dynamics(truth, "split")
    stances: dict[str, set[str]] = defaultdict(set)
    for t in session.usable_turns():
        if t.codes[:1] == (theme,):
            stances[t.stance or ""].add(t.speaker)
    assert len(stances["agree"]) >= 2 and len(stances["disagree"]) >= 2, stances
    assert stances["qualify"] and stances["new"]
    for other in truth.sessions:  # elsewhere nobody disagrees about it twice
        if other is not session:
            against = [t for t in other.usable_turns() if t.codes[:1] == (theme,)]
            assert sum(t.stance == "disagree" for t in against) < 2


def test_themes_raised_unprompted_in_one_group_and_only_when_asked_in_another(
    truth: GroundTruth,
) -> None:
    unprompted = dynamics(truth, "unprompted")
    prompted = dynamics(truth, "prompted")
    assert len(unprompted) >= 3 and len(prompted) >= 2
    for session, (theme,) in unprompted:
        found = next(t for t in session.themes if t.code == theme)
        assert found.prompted is None, (session.group, theme)
    for session, (theme,) in prompted:
        found = next(t for t in session.themes if t.code == theme)
        assert found.prompted == "theme", (session.group, theme)
        first = next(t for t in session.turns if t.position == found.first_position)
        asked = [
            t for t in session.turns if t.speaker == FACILITATOR and t.position < first.position
        ]
        assert theme in asked[-1].prompt
    # the same theme goes both ways somewhere: unprompted in one group, prompted in another
    assert {t for _, (t,) in unprompted} & {t for _, (t,) in prompted}


def test_a_quiet_participant_says_almost_nothing(truth: GroundTruth) -> None:
    [(session, (code,))] = dynamics(truth, "quiet")
    counts = words_by_speaker(session)
    assert 0 < counts[code] / sum(counts.values()) < 0.03


def test_turns_touch_several_themes_and_some_can_be_quoted_with_edits(
    demo_study: DemoSummary, truth: GroundTruth
) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        texts = {seg.id: seg.text for seg in s.scalars(sa.select(Segment))}
    for session in truth.sessions:
        turns = session.usable_turns()
        multi = sum(len(t.codes) > 1 for t in turns)
        assert multi >= 5, (session.group, multi)
        edited = [t for t in turns if t.quote]
        assert len(edited) >= 2, session.group
        for t in edited:
            assert t.quote is not None and (". . ." in t.quote or "[" in t.quote)
            for piece in t.quote.replace(" . . . ", "|").split("|"):
                plain = "".join(part.split("]")[-1] for part in piece.split(" ["))
                assert plain.strip(" .") in texts[t.segment_id], (t.quote, texts[t.segment_id])


def test_the_report_has_material_for_definitions_triggers_and_the_sector_comparison(
    truth: GroundTruth,
) -> None:
    for session in truth.sessions:
        codes = [c for t in session.usable_turns() for c in t.codes]
        assert codes.count("general.definitions") >= 4, session.group
        assert codes.count("origins.pressure") + codes.count("origins.rivalry") >= 3
        compared = {t.codes[0] for t in session.usable_turns() if t.compares_sectors}
        if session.sector == "comparison":
            assert len(compared) >= 6, (session.group, compared)
