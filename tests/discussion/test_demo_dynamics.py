"""The measures find the dynamics the demo's scripts were written with.

The demo records what its generator intended (``synthetic-ground-truth.json``): one
group dominated by two voices, one quiet participant, one group split on a theme,
themes raised unprompted in one group and only when prompted in another. Here the
measures run on the demo as built, and are checked against that record. Two kinds of
check: on the study's own coding (the simulated coder's), and on the turns re-marked
with the codes and stances the script intended, so that a coder's slip is not taken
for a fault of the measure.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from innostudy.demo.build import DemoSummary
from innostudy.demo.ground_truth import GroundTruth, TruthSession, load_ground_truth
from innostudy.discussion.flow import theme_flow
from innostudy.discussion.naming import Namer
from innostudy.discussion.positions import theme_positions
from innostudy.discussion.study import load_discussions
from innostudy.discussion.talk import talk_balance
from innostudy.discussion.turns import Discussion
from innostudy.model import Code, Stance
from innostudy.storage.store import StudyStore

MAIN_CODER = "simulated-coder-a"
Demo = tuple[GroundTruth, dict[int, Discussion], Namer]


@pytest.fixture(scope="module")
def demo(demo_study: DemoSummary) -> Demo:
    truth = load_ground_truth(demo_study.folder)
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        discussions = load_discussions(s, coders=[MAIN_CODER])
        namer = Namer.from_codes(s.execute(sa.select(Code.key, Code.name)).all())
    return truth, {d.transcript_id: d for d in discussions}, namer


def _declared(session: TruthSession, kind: str) -> tuple[str, ...]:
    return next((items for k, items in session.dynamics if k == kind), ())


def _as_intended(d: Discussion, truth: GroundTruth) -> Discussion:
    """The discussion with each participant's turn marked as the script meant it."""
    meant = truth.turns()
    turns = []
    for t in d.turns:
        m = meant[t.segment_id]
        codes = frozenset(m.codes) if t.is_participant else frozenset()
        stances = {c: Stance(m.stance) for c in codes} if m.stance else {}
        turns.append(replace(t, codes=codes, stances=stances))
    return replace(d, turns=tuple(turns))


def test_talk_counts_every_participants_turns_and_words(demo: Demo) -> None:
    truth, discussions, _ = demo
    for recorded in truth.sessions:
        d = discussions[recorded.transcript_id]
        found = {p.speaker: p for p in talk_balance([d]).participants}
        usable = [p for p in recorded.participants if not p.withdrawn]
        assert sorted(found) == sorted(p.code for p in usable)
        for p in usable:
            assert (found[p.code].turns, found[p.code].words) == (p.turns, p.words)
            if d.end_times:  # with start times only, a turn runs to the next one's start
                assert found[p.code].speaking_ms == p.speaking_ms


def test_the_dominated_group_and_the_quiet_participant_stand_out(demo: Demo) -> None:
    truth, discussions, _ = demo
    balance = {s.group_type: talk_balance([discussions[s.transcript_id]]) for s in truth.sessions}
    (dominated,) = [s for s in truth.sessions if _declared(s, "dominated")]
    top = balance[dominated.group_type]
    assert {p.speaker for p in top.participants[:2]} == set(_declared(dominated, "dominated"))
    others = [b for k, b in balance.items() if k != dominated.group_type]
    assert top.top_two_share is not None and top.gini is not None
    assert top.top_two_share > max(b.top_two_share or 0 for b in others)
    assert top.gini > max(b.gini or 0 for b in others)
    (quiet,) = [s for s in truth.sessions if _declared(s, "quiet")]
    assert set(_declared(quiet, "quiet")) <= set(balance[quiet.group_type].near_silent)


def test_themes_in_the_flow_follow_the_intended_codes(demo: Demo) -> None:
    truth, discussions, namer = demo
    agreed = total = 0
    for recorded in truth.sessions:
        flows = {
            f.code: f
            for f in theme_flow(_as_intended(discussions[recorded.transcript_id], truth), namer)
        }
        # the record's themes are codes below an area; an area's own code is not one
        assert {t.code for t in recorded.themes} == {c for c in flows if "." in c}
        for theme in recorded.themes:
            f = flows[theme.code]
            assert (f.position, f.raised_by, f.participants, f.turns) == (
                theme.first_position,
                theme.raised_by,
                theme.participants,
                theme.turns,
            )
            agreed += (f.prompted is None) == (theme.prompted is None)
            total += 1
        for code in _declared(recorded, "unprompted"):
            assert flows[code].prompted is None, (recorded.group_type, code)
        for code in _declared(recorded, "prompted"):
            assert flows[code].prompted is not None, (recorded.group_type, code)
    # the literal rule misses paraphrase ("the pace" for speed): docs/discussion.md
    assert agreed / total >= 0.75


def test_unprompted_themes_hold_in_the_studys_own_coding(demo: Demo) -> None:
    truth, discussions, namer = demo
    for recorded in truth.sessions:
        flows = {f.code: f for f in theme_flow(discussions[recorded.transcript_id], namer)}
        for code in _declared(recorded, "unprompted"):
            assert flows[code].prompted is None, (recorded.group_type, code)


def test_the_split_group_is_found_split_on_its_theme(demo: Demo) -> None:
    truth, discussions, _ = demo
    (split,) = [s for s in truth.sessions if _declared(s, "split")]
    positions = theme_positions([_as_intended(discussions[split.transcript_id], truth)])
    verdicts = {p.code: p for p in positions}
    for code in _declared(split, "split"):
        found = verdicts[code]
        assert found.verdict == "split"
        assert len(found.agreed) >= 2 and len(found.disagreed) >= 2
        assert all(t.transcript_id == split.transcript_id for t in found.turns)
