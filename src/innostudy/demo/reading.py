"""How the demo's simulated coders see words: lower case, light suffix stripping.

Both coders read through this, so "budgets", "budgeting" and "budgeted" are one word to
them, as they would be to a person skimming for a theme. It is deliberately crude: the
coders are stand-ins for people, not a text-mining method.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_IT = re.compile(r"\bIT\b")
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
_SUFFIX_WORDS = "ations ation ments ment ings ing ness ers er ed es s ly"
_SUFFIXES = tuple(_SUFFIX_WORDS.split())  # tried in this order, longest first
_STOP_WORDS = """a an and are as at be been but by can do does for from had has have i if in
into is it its just me my no not of on or our so than that the their them then there they
this to too up us was we were what when where which who why will with would you your"""
_STOP = frozenset(_STOP_WORDS.split())


def stem(word: str) -> str:
    word = word.removesuffix("'s").replace("-", "")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> list[str]:
    """The text's words, stemmed, stop words left out ("IT" is read as a word, not "it")."""
    text = _IT.sub("infotech", text)
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


@dataclass(frozen=True)
class SessionTurn:
    """What a coder sees of one transcript turn: who spoke (a participant or not) and what."""

    participant: bool
    text: str


def phrases(words: list[str], longest: int = 4) -> set[tuple[str, ...]]:
    """Every run of two to ``longest`` consecutive words, to look phrases up in."""
    return {
        tuple(words[i : i + n]) for n in range(2, longest + 1) for i in range(len(words) - n + 1)
    }
