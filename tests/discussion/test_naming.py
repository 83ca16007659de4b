"""What a moderator's turn names: the literal rule, phrase by phrase."""

from __future__ import annotations

import pytest

from innostudy.discussion.naming import Namer, phrases_of, stem, words

CODES = [
    ("barriers", "Barriers and enablers"),
    ("barriers.risk", "Risk, fear of failure and blame"),
    ("barriers.it", "IT constraints and legacy systems"),
    ("origins", "Origins and triggers"),
    ("origins.frontline", "Front-line staff as a source of ideas"),
    ("origins.users", "Service users and the public as a source"),
    ("origins.sponsorship", "Senior and political sponsorship"),
    ("costs.approval", "Approval, business cases and sign-off"),
    ("impacts.customer_evidence", "Missing customer evidence"),
    ("general.policy_admin", "Policy versus administrative innovation"),
    ("general.categories", "Categories of innovation"),
    ("general.definitions", "Definitions of innovation"),
]
NAMER = Namer.from_codes(CODES)


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [("approval", "approv"), ("approved", "approv"), ("budgeting", "budget"), ("staff", "staff")],
)
def test_words_lose_one_common_ending(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_words_fold_hyphens_capital_it_and_stop_words() -> None:
    assert words("The Front-line staff's IT, and it") == ["frontline", "staff", "infotech"]


def test_a_name_gives_phrases_split_at_and_or_versus() -> None:
    assert phrases_of("barriers.risk", "Risk, fear of failure and blame") == [
        ("risk",),
        ("fear", "failure"),
        ("blame",),
    ]
    # a lone word before "and" shares the rest of the last phrase; the key is a phrase
    assert phrases_of("origins.sponsorship", "Senior and political sponsorship") == [
        ("senior", "sponsorship"),
        ("politic", "sponsorship"),
        ("sponsorship",),
    ]
    # "as a …" says what role the theme plays and is cut off
    assert phrases_of("origins.frontline", "Front-line staff as a source of ideas") == [
        ("frontline", "staff"),
        ("frontline",),
    ]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("What about fear of failure?", {"barriers.risk"}),
        ("Is failure feared?", set()),  # the phrase's words, in order, or nothing
        ("Why are front-line staff absent?", {"origins.frontline"}),
        ("How much does senior sponsorship matter?", {"origins.sponsorship"}),
        ("Do senior managers decide?", set()),
        ("And IT systems?", set()),  # "IT constraints", "legacy systems": neither said
        ("IT constraints, then, and legacy systems", {"barriers.it"}),
        ("And is it a constraint?", set()),  # "it" is the pronoun
        ("How long does getting something approved take?", {"costs.approval"}),
        ("Turning to barriers. What gets in the way?", {"barriers"}),
        ("Why so little customer evidence?", {"impacts.customer_evidence"}),
        ("Where should the line be? What counts as an innovation?", set()),  # paraphrase
        ("Is the policy split useful?", {"general.policy_admin"}),
    ],
)
def test_a_turn_names_a_code_when_it_says_one_of_its_phrases(text: str, named: set[str]) -> None:
    assert NAMER.named(text) == named


def test_a_phrase_two_codes_share_names_neither() -> None:
    namer = Namer.from_codes([("a.x", "Speed"), ("b.speed", "Pace of change")])
    assert namer.named("What about speed?") == set()
    assert namer.named("And the pace of change?") == {"b.speed"}
