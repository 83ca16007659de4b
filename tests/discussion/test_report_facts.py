"""The report's discussion facts and table on the small study, every figure worked out by
hand from the two transcripts in conftest.py (SCS-03 has withdrawn, so the senior group
has two voices left; ana's is the main coding)."""

from __future__ import annotations

from typing import Any

import pytest

from innostudy.coding.coded import MainCoding
from innostudy.coding.manual import set_stance
from innostudy.model import Coding, Stance
from innostudy.reporting.discussion_table import discussion_table
from innostudy.reporting.fact_context import FactContext
from innostudy.reporting.facts import find_fact
from innostudy.reporting.resolver import Unresolved
from innostudy.storage.store import StudyStore
from tests.discussion.conftest import SmallStudy


def _context(s: Any) -> FactContext:
    none: Any = None  # the discussion facts read neither the survey nor the areas
    return FactContext(s, none, none, [], MainCoding(coders=["ana"], reliability=["ben"]))


def _stat(ctx: FactContext, name: str) -> str:
    found = find_fact(name)
    assert found is not None, name
    fact, arguments = found
    return fact.resolve(ctx, **arguments)


def test_talk_facts(small_study: SmallStudy) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        ctx = _context(s)
        # words: SCS-01 8+11, SCS-02 5+6, BUS-01 9+8, BUS-02 3; a quarter of an equal
        # share is 3.75 and 2.5 words, so nobody is near-silent
        assert _stat(ctx, "discussion.near_silent") == "0 of the 4 participants who spoke"
        # the facilitator said 8 + 3 + 8 = 19 of 69 words
        assert _stat(ctx, "discussion.moderator_share") == "28% of all words spoken"
        with pytest.raises(Unresolved, match="three or more participants"):
            _stat(ctx, "discussion.dominated_group")


def test_which_groups_raised_a_theme_unprompted(small_study: SmallStudy) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        ctx = _context(s)
        # the senior facilitator asked about approval: costs was prompted there
        assert (
            _stat(ctx, "discussion.costs.prompted_only")
            == "1 of the 2 groups (Senior civil servants group)"
        )
        assert _stat(ctx, "discussion.costs.unprompted") == "none of the 2 groups"
        # risk came up in both groups without the word from the moderator
        both = "2 of the 2 groups (Senior civil servants group and Business group)"
        assert _stat(ctx, "discussion.barriers.risk.unprompted") == both
        with pytest.raises(LookupError, match=r"no code 'barriers\.nothing'"):
            _stat(ctx, "discussion.barriers.nothing.unprompted")


def test_disputed_needs_stances_and_counts_people(small_study: SmallStudy) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        ctx = _context(s)
        with pytest.raises(
            Unresolved, match="no coder has set a stance on a turn coded 'impacts' yet"
        ):
            _stat(ctx, "discussion.impacts.disputed")
        # one agreement and one new point in each group: nothing disputed yet
        assert _stat(ctx, "discussion.origins.disputed") == "none of the 2 groups"
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        segment = small_study.segments[(small_study.business_transcript, 2)]
        coding = s.query(Coding).filter_by(segment_id=segment).one()
        set_stance(s, coding, Stance.DISAGREE, actor="ana")
        s.commit()
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        assert (
            _stat(_context(s), "discussion.origins.disputed")
            == "Business group (contested on Service users and the public as a source)"
        )


def test_the_discussion_table(small_study: SmallStudy) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        table = discussion_table(_context(s), "costs", "Costs and timescales")
    assert table.caption == "Costs and timescales: how the discussion developed in each group"
    # SCS-01 raised it after "How long does approval take"; SCS-02 took it up; the
    # remaining turns (1, 2, 4 and 6) stay on it but for one turn on risk: one stretch of 3
    assert table.rows == [
        ["Senior civil servants group", "SCS-01", "yes", "2", "3"],
        ["Business group", "not raised", "–", "–", "–"],
    ]
