"""Facts about how the discussions developed, read from the discussion measures
(``innostudy.discussion``) over the main coding: whose voices held the floor, who said
almost nothing, which groups raised an area before the moderator named it, and where a
group split over it. Each figure is per focus group (a group's sessions pooled), so it
reads the same as the ``discussion`` CLI's ``--by group``; docs/discussion.md gives
each measure's rule and its limits. Ties are named, never broken silently.
"""

from __future__ import annotations

from innostudy.analysis import formatting
from innostudy.coding.group_matrix import rolled_up
from innostudy.discussion.flow import group_themes
from innostudy.discussion.positions import theme_positions
from innostudy.reporting.fact_context import Fact, FactContext, count, counted, words_list
from innostudy.reporting.resolver import Unresolved

_NONE_YET = "no focus group has a verbatim transcript yet"


def _code_name(ctx: FactContext, code: str) -> str:
    row = next((r for r in ctx.matrix.rows if r.code_key == code), None)
    if row is None:
        raise LookupError(f"no code '{code}' in the codebook (`innostudy code list-codes`)")
    return row.code_name


def _dominated(ctx: FactContext) -> str:
    """The group whose two largest voices held the largest share of its participants'
    words (a group needs three speakers for the figure to say anything)."""
    shares = {g.label: g.talk().top_two_share for g in ctx.discussions}
    known = {label: s for label, s in shares.items() if s is not None}
    if not known:
        raise Unresolved("no focus group has three or more participants who spoke yet")
    best = max(known.values())
    tied = [label for label, s in known.items() if s == best]
    share = formatting.pct(100 * best)
    if len(tied) > 1:
        return f"{words_list(tied)} (in each, the two most talkative said {share} of the words)"
    return f"{tied[0]} (its two most talkative said {share} of its participants' words)"


def _near_silent(ctx: FactContext) -> str:
    if not ctx.discussions:
        raise Unresolved(_NONE_YET)
    talks = [g.talk() for g in ctx.discussions]
    quiet = sum(len(t.near_silent) for t in talks)
    spoke = sum(len(t.participants) for t in talks)
    return f"{count(quiet)} of the {counted(spoke, 'participant')} who spoke"


def _moderator_share(ctx: FactContext) -> str:
    if not ctx.discussions:
        raise Unresolved(_NONE_YET)
    talks = [g.talk() for g in ctx.discussions]
    words = sum(t.words for t in talks)
    if not words:
        raise Unresolved("the verbatim transcripts hold no words yet")
    said = sum(t.moderator_words for t in talks)
    return f"{formatting.pct(100 * said / words)} of all words spoken"


def _raised(ctx: FactContext, code: str, *, unprompted: bool) -> str:
    _code_name(ctx, code)
    if not ctx.flows:
        raise Unresolved(_NONE_YET)
    found = [group_themes(g.label, flows) for g, flows in ctx.flows]
    picked = [t.group for t in found if code in (t.unprompted if unprompted else t.prompted_only)]
    groups = counted(len(found), "group")
    if not picked:
        return f"none of the {groups}"
    return f"{count(len(picked))} of the {groups} ({words_list(picked)})"


def _disputed(ctx: FactContext, code: str) -> str:
    """Groups split or contested on the theme or a theme below it, by coders' stances."""
    _code_name(ctx, code)
    if not ctx.discussions:
        raise Unresolved(_NONE_YET)
    found: list[str] = []
    stanced = False
    for g in ctx.discussions:
        mine = [p for p in theme_positions(g.discussions) if code in rolled_up(p.code)]
        stanced = stanced or any(p.turns for p in mine)
        disputed = [p for p in mine if p.verdict in ("split", "contested")]
        if disputed:
            said = "; ".join(f"{p.verdict} on {_code_name(ctx, p.code)}" for p in disputed)
            found.append(f"{g.label} ({said})")
    if not stanced:
        raise Unresolved(f"no coder has set a stance on a turn coded '{code}' yet")
    if not found:
        return f"none of the {counted(len(ctx.discussions), 'group')}"
    return words_list(found)


DISCUSSION_FACTS: tuple[Fact, ...] = (
    Fact(
        "discussion.dominated_group",
        "the group whose two most talkative participants said the largest share of its "
        "participants' words",
        "Senior civil servants (its two most talkative said 61% of its participants' words)",
        lambda c: _dominated(c),
    ),
    Fact(
        "discussion.near_silent",
        "participants who said less than a quarter of an equal share of their group's words",
        "3 of the 52 participants who spoke",
        lambda c: _near_silent(c),
    ),
    Fact(
        "discussion.moderator_share",
        "the moderators' share of all words in the verbatim transcripts",
        "18% of all words spoken",
        lambda c: _moderator_share(c),
    ),
    Fact(
        "discussion.<code>.unprompted",
        "groups in which a participant raised the theme (or area) before the moderator named it",
        "3 of the 7 groups (Senior civil servants, Business group and Charities)",
        lambda c, code: _raised(c, code, unprompted=True),
    ),
    Fact(
        "discussion.<code>.prompted_only",
        "groups that raised the theme (or area) only after the moderator named it",
        "2 of the 7 groups (Middle managers and Local government)",
        lambda c, code: _raised(c, code, unprompted=False),
    ),
    Fact(
        "discussion.<code>.disputed",
        "groups split or contested on the theme (or a theme below it), by coders' stances "
        "(a gap until a stance is set)",
        "Business group (split on Rewards and recognition)",
        lambda c, code: _disputed(c, code),
    ),
)
