from __future__ import annotations

from typing import Any

import pytest

from innostudy.survey import relevance as r


@pytest.mark.parametrize(
    ("expr", "answers", "expected"),
    [
        ("${c} = 'other'", {"c": "other"}, True),
        ("${c} = 'other'", {"c": "policy"}, False),
        ("${c} = 'other'", {}, False),
        ("${c} != ''", {}, False),
        ("${c} != ''", {"c": "x"}, True),
        ("${m} = ''", {"m": []}, True),
        ("selected(${m}, 'a')", {"m": ["a", "b"]}, True),
        ("selected(${m}, 'z')", {"m": ["a", "b"]}, False),
        ("selected(${m}, 'a')", {}, False),
        ("count-selected(${m}) >= 2", {"m": ["a", "b"]}, True),
        ("count-selected(${m}) >= 2", {"m": ["a"]}, False),
        ("${n} > 3", {"n": 5}, True),
        ("${n} > 3", {"n": 2.5}, False),
        ("${n} > 3", {}, False),
        ("${n} <= 12 and ${n} >= 1", {"n": 12}, True),
        ("${d} < '2024-01-01'", {"d": "2023-05-01"}, True),
        ("not(${c} = 'yes')", {"c": "no"}, True),
        ("${a} = 'x' or ${b} = 'y'", {"b": "y"}, True),
        ("(${a} = 'x' or ${b} = 'y') and ${c} = 'z'", {"b": "y"}, False),
        ("${a} = 'x' or ${b} = 'y' and ${c} = 'z'", {"a": "x"}, True),
        ('${c} = "double"', {"c": "double"}, True),
        ("true()", {}, True),
        ("false() or ${n} = 1", {"n": 1}, True),
    ],
)
def test_evaluation(expr: str, answers: dict[str, Any], expected: bool) -> None:
    assert r.is_relevant(r.parse(expr), answers) is expected


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("", "empty expression"),
        ("${a} =", "expression ends too early"),
        ("${a} = 'x' 'y'", "unexpected \"'y'\" after a complete expression"),
        ("import os", "unexpected 'import'"),
        ("selected(${a})", "selected() takes 2 argument(s), not 1"),
        ("${a} = 'x' ; rm", "cannot read ';"),
        ("not ${a}", "expected '(' but found 'a'"),
    ],
)
def test_parse_errors_say_what_is_wrong(expr: str, message: str) -> None:
    with pytest.raises(r.RelevanceError) as info:
        r.parse(expr)
    assert message in str(info.value)


def test_references_are_listed_once_in_order() -> None:
    assert r.references(r.parse("${b} = 'x' and selected(${a}, 'y') or ${b} = 'z'")) == ["b", "a"]


def test_no_rule_means_always_relevant() -> None:
    assert r.is_relevant(None, {})
