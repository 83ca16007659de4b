"""The demo's play-script format: what a line means, and one clear error per mistake."""

from __future__ import annotations

import pytest

from innostudy.demo.script import QuoteEdit, Stance, parse_script, script_names
from innostudy.errors import InputError

CODES = ["barriers", "barriers.risk", "barriers.culture", "costs", "costs.approval"]
HEAD = "@group cs_mid\n@person A Team leader\n@person B Policy adviser | noquote\n"


def parse(body: str) -> object:
    return parse_script(HEAD + body, "t.txt", CODES)


def test_a_script_reads_into_turns_with_codes_stances_prompts_and_times() -> None:
    script = parse_script(
        HEAD
        + "@person C Analyst | withdrawn\n@dynamic split risk\n== barriers\n"
        + "M~9>risk+barriers: [Card exercise; not transcribed.] What about blame?\n"
        + "A risk+culture qualify cmp: Yes, but it{blame} is ((mostly)) habit.\n"
        + "B -: Sorry, go on, $A.\n"
        + "C risk: Fear, mostly.\n",
        "t.txt",
        CODES,
    )
    m, a, b, c = script.turns
    assert (m.who, m.pause_minutes, m.prompt, m.codes) == (
        "M",
        9,
        ("barriers.risk", "barriers"),
        (),
    )
    assert a.codes == ("barriers.risk", "barriers.culture") and a.stance is Stance.QUALIFY
    assert a.compares and a.text == "Yes, but it is mostly habit."
    assert a.quote == QuoteEdit(elided=((15, 21),), clarifications=((11, "blame"),))
    assert a.quote.render(a.text) == "Yes, but it [blame] is . . . habit."
    assert (b.codes, b.stance, b.text) == ((), None, "Sorry, go on, $A.")
    assert c.stance is Stance.NEW  # a coded turn's stance defaults to a new point
    assert script.person("B").quotation is False and script.person("C").withdrawn
    assert script.dynamics == (("split", ("barriers.risk",)),)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            "A risk: x\nA culture: y\n",
            5,
            "field 'speaker': 'A' speaks twice in a row; make it one turn",
        ),
        ("Z risk: x\n", 4, "field 'speaker': 'Z' is not a declared @person"),
        ("A nonsense: x\n", 4, "field 'codes': unknown code or area 'nonsense'"),
        ("A risk maybe: x\n", 4, "field 'stance': unknown stance 'maybe'"),
        ("A - agree: x\n", 4, "field 'stance': a turn with no code takes no stance"),
        ("A: x\n", 4, "field 'turn': only M takes ~minutes and >prompts; only people take codes"),
        ("A risk: as $A said\n", 4, "field 'text': $A names nobody else in the group"),
        ("A risk: x ((y\n", 4, "field 'text': unbalanced (( )) or { } markup"),
        ("A risk: ((y)) said $B\n", 4, "field 'text': a quotable turn may not name anyone"),
        ("== pricing\n", 4, "field 'area': unknown area 'pricing'"),
        ("@dynamic loud A\n", 4, "field 'dynamic': unknown dynamic 'loud'"),
        ("A risk: only A speaks\n", 4, "field 'person': declared but never speak: ['B']"),
    ],
)
def test_each_mistake_is_one_error_naming_the_line(body: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(body)
    assert str(caught.value) == f"t.txt, line {line}, {message}"


def test_nobody_may_echo_a_withdrawn_participant() -> None:
    with pytest.raises(
        InputError, match=r"line 5, field 'text': \$C withdrew; nobody may echo them"
    ):
        parse("@person C Analyst | withdrawn\nA risk: as $C said\nB risk: x\nC risk: y\n")


def test_every_default_group_type_has_a_script() -> None:
    assert script_names() == sorted(
        [
            "business",
            "consultants",
            "cs_mid",
            "cs_project",
            "cs_senior",
            "it_practitioners",
            "local_authorities",
        ]
    )
