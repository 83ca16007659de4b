from __future__ import annotations

import pytest

from innostudy.reporting.placeholders import (
    Placeholder,
    PlaceholderError,
    find_placeholders,
    is_standalone,
    parse_placeholder,
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{stat: time_to_market.mean}}", Placeholder("stat", "time_to_market.mean")),
        ("{{ figure:barriers_ranked }}", Placeholder("figure", "barriers_ranked")),
        ("{{quote: Q-123}}", Placeholder("quote", "Q-123")),
        (
            "{{quotes: code=barriers.culture group=business limit=3}}",
            Placeholder(
                "quotes", "", {"code": "barriers.culture", "group": "business", "limit": "3"}
            ),
        ),
        ("{{joint: barriers}}", Placeholder("joint", "barriers")),
        ("{{table: groups}}", Placeholder("table", "groups")),
    ],
)
def test_every_kind_parses(source: str, expected: Placeholder) -> None:
    parsed = parse_placeholder(source)
    assert (parsed.kind, parsed.argument, parsed.params) == (
        expected.kind,
        expected.argument,
        expected.params,
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "{{chart: x}}",
            "unknown placeholder kind 'chart' in {{chart: x}} (one of: comparison, figure, joint, quote, quotes, stat, table, todo)",
        ),
        ("{{stat}}", "{{stat}} needs a kind, like {{stat: NAME}}"),
        ("{{stat: }}", "{{stat: }} needs a name after 'stat:'"),
        ("{{figure: a b}}", "unexpected 'b' in {{figure: a b}}"),
    ],
)
def test_bad_placeholders_say_why(source: str, message: str) -> None:
    with pytest.raises(PlaceholderError) as info:
        parse_placeholder(source)
    assert str(info.value) == message


def test_finding_and_standalone() -> None:
    text = "Rate {{stat: a}} and {{stat: b}}."
    assert [s for _, _, s in find_placeholders(text)] == ["{{stat: a}}", "{{stat: b}}"]
    assert is_standalone("  {{figure: x}} ")
    assert not is_standalone("See {{figure: x}}")
