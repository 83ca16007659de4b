"""Counts in words: ``1 organisation``, ``2 organisations``, ``1 new analysis``.

One helper for every message that prints a count, so a count and its noun always agree.
"""

from __future__ import annotations

# Nouns this project prints whose plural is not the noun plus "s".
IRREGULAR = {
    "analysis": "analyses",
    "person": "people",
    "reply": "replies",
    "category": "categories",
    "entry": "entries",
    "summary": "summaries",
    "study": "studies",
    "match": "matches",
    "box": "boxes",
    "index": "indexes",
}


def plural(noun: str, n: int) -> str:
    """``noun`` as it reads after the number ``n``; the last word of a phrase changes."""
    if n == 1:
        return noun
    head, _, last = noun.rpartition(" ")
    word = IRREGULAR.get(last, last + "s")
    return f"{head} {word}" if head else word


def counted(n: int, noun: str) -> str:
    """``1 selection``, ``3 selections``, ``12 new organisations``."""
    return f"{n} {plural(noun, n)}"


__all__ = ["counted", "plural"]
