"""Text folded so that a name matches however it is spelt: the one folding rule.

Letter case (full Unicode case folding, "STRAUSS" = "Strauß"), accents ("Sian" = "Siân",
decomposed "Zoë" = "Zoë"), apostrophes ("O’Neill", "ONeill"), hyphens ("Smith–Jones",
"Smith Jones") and whitespace (a line break inside a full name). Transcript redaction,
speaker resolution and the personal-data rule all match names on folded text, so they
cannot disagree about what counts as the same name. ``fold`` also returns, for each
folded character, the index of the original one, so a match maps back exactly.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

APOSTROPHES = "'’‘`´ʼ′"
HYPHENS = "-‐‑‒–—―−"
LETTER = r"[^\W\d_]"  # a letter, for name boundaries ("Ana2" holds the name "Ana")


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in APOSTROPHES:
        return "'"
    if char in HYPHENS:
        return "-"
    if char.isspace():
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, Sequence[int]]:
    """The folded text, and for each of its characters the index of the original one."""
    parts = [_fold_char(c) for c in text]
    folded = "".join(parts)
    if len(folded) == len(text):
        return folded, range(len(text))
    return folded, [i for i, part in enumerate(parts) for _ in part]


def folded_pattern(term: str) -> str:
    """A term as a regex over folded text: apostrophes optional, hyphens optional or
    spaces, any run of spaces between words."""
    out = []
    for char in " ".join(fold(term)[0].split()):
        if char == "'":
            out.append("'?")
        elif char == "-":
            out.append("[- ]?")
        elif char == " ":
            out.append(" +")
        else:
            out.append(re.escape(char))
    return "".join(out)
