"""Counts in words agree with their noun."""

from __future__ import annotations

import pytest

from innostudy.wording import counted, plural


@pytest.mark.parametrize(
    ("n", "noun", "text"),
    [
        (0, "new organisation", "0 new organisations"),
        (1, "new organisation", "1 new organisation"),
        (2, "coding", "2 codings"),
        (1, "analysis", "1 analysis"),
        (3, "analysis", "3 analyses"),
        (2, "preview or test response", "2 preview or test responses"),
        (5, "person", "5 people"),
    ],
)
def test_counted(n: int, noun: str, text: str) -> None:
    assert counted(n, noun) == text


def test_plural_of_one_is_the_noun() -> None:
    assert plural("category", 1) == "category" and plural("category", 2) == "categories"
