"""Themes in the flow of talk, on a session whose every figure is worked out below."""

from __future__ import annotations

from innostudy.discussion.flow import group_themes, theme_flow
from innostudy.discussion.naming import Namer

from .helpers import discussion, turn

NAMER = Namer.from_codes(
    [
        ("costs", "Costs and timescales"),
        ("costs.approval", "Approval and sign-off"),
        ("costs.budgeting", "Budgeting"),
        ("barriers", "Barriers and enablers"),
        ("barriers.risk", "Risk and blame"),
    ]
)
# Participant turns are numbered 0..8 below (the moderator's are not counted).
SESSION = discussion(
    [
        turn(
            0,
            "A",
            "Before we start: our budgeting is a mess.",
            at=0,
            until=4,
            codes="costs.budgeting",
        ),
        turn(1, "M", "Let's talk about approval. How long does sign-off take?", at=5, until=9),
        turn(2, "B", "Months.", at=10, until=11, codes="costs.approval"),  # p1
        turn(
            3, "C", "Because nobody wants the blame.", at=12, until=15, codes="barriers.risk"
        ),  # p2
        turn(4, "A", "Quite.", at=16, until=17),  # p3
        turn(
            5, "B", "And the gateway meets monthly.", at=18, until=21, codes="costs.approval"
        ),  # p4
        turn(6, "D", "Weather's nice.", at=22, until=23),  # p5
        turn(7, "A", "Ha.", at=24, until=25),  # p6
        turn(8, "C", "Really.", at=26, until=27),  # p7
        turn(9, "M", "Next: the costs of it all.", at=28, until=30),
        turn(
            10,
            "D",
            "Approval costs us more than building.",
            at=31,
            until=35,
            codes="costs.approval",
        ),  # p8
    ]
)


def rows() -> dict[str, object]:
    return {r.code: r for r in theme_flow(SESSION, NAMER)}


def test_every_code_and_its_area_is_raised_once_in_order() -> None:
    flow = theme_flow(SESSION, NAMER)
    assert [r.code for r in flow] == [
        "costs",
        "costs.budgeting",
        "costs.approval",
        "barriers",
        "barriers.risk",
    ]
    first = {r.code: (r.position, r.raised_by, r.start_ms) for r in flow}
    assert first["costs"] == (0, "A", 0)
    assert first["costs.approval"] == (2, "B", 10_000)
    assert first["barriers.risk"] == (3, "C", 12_000)


def test_prompted_means_the_moderators_latest_turn_named_it() -> None:
    flow = rows()
    budgeting, approval, risk = (
        flow["costs.budgeting"],
        flow["costs.approval"],
        flow["barriers.risk"],
    )
    assert budgeting.prompted is None and budgeting.prompt_segment_id is None  # before any question
    assert approval.prompted == "theme" and approval.prompt_segment_id == 101
    assert risk.prompted is None and risk.unprompted  # "blame" said by C, not by the moderator
    # an area counts as named when a theme below it is: costs was first raised before any
    # question, so it is unprompted; barriers came with risk, unprompted too
    assert flow["costs"].prompted is None
    assert flow["barriers"].prompted is None


def test_an_area_named_alone_prompts_its_themes_as_area() -> None:
    session = discussion(
        [
            turn(0, "M", "Costs and timescales, then."),
            turn(1, "A", "Our budgeting is annual.", codes="costs.budgeting"),
            turn(2, "M", "And approval?"),
            turn(3, "B", "Slow, and budgets are worse.", codes="costs.approval costs.budgeting"),
        ]
    )
    flow = {r.code: r.prompted for r in theme_flow(session, NAMER)}
    assert flow == {"costs": "theme", "costs.budgeting": "area", "costs.approval": "theme"}


def test_who_took_it_up_and_how_long_it_held() -> None:
    flow = rows()
    approval = flow["costs.approval"]
    # on participant turns p1, p4, p8: p1→p4 leaves two turns off it (kept), p4→p8 three (a new stretch)
    assert (approval.turns, approval.participants) == (3, 2)
    assert (approval.held_turns, approval.returns) == (2, 1)
    assert approval.held_ms == 21_000 - 10_000
    costs = flow["costs"]  # p0, p1, p4, p8
    assert (costs.turns, costs.participants, costs.held_turns, costs.returns) == (4, 3, 3, 1)
    assert costs.held_ms == 21_000
    risk = flow["barriers.risk"]
    assert (risk.turns, risk.participants, risk.held_turns, risk.returns) == (1, 1, 1, 0)
    assert risk.held_ms == 3000


def test_without_end_times_a_stretch_ends_at_its_last_turns_start() -> None:
    session = discussion(
        [turn(0, "A", "x", at=3, codes="costs"), turn(1, "B", "y", at=10, codes="costs")],
        end_times=False,
    )
    assert theme_flow(session, NAMER)[0].held_ms == 7000
    untimed = discussion([turn(0, "A", "x", codes="costs")])
    assert theme_flow(untimed, NAMER)[0].held_ms is None


def test_a_group_raised_a_theme_unprompted_if_any_session_did() -> None:
    prompted = discussion(
        [turn(0, "M", "What about risk?"), turn(1, "A", "x", codes="barriers.risk")]
    )
    unprompted = discussion([turn(0, "A", "y", codes="barriers.risk")], transcript_id=2)
    both = group_themes("G", [theme_flow(prompted, NAMER), theme_flow(unprompted, NAMER)])
    assert "barriers.risk" in both.unprompted and "barriers.risk" not in both.prompted_only
    only = group_themes("G", [theme_flow(prompted, NAMER)])
    # asking about risk asks about the barriers area too
    assert only.prompted_only == ("barriers", "barriers.risk") and only.unprompted == ()
