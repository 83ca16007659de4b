"""Whether a moderator's turn *names* a theme or an area: the rule behind "prompted".

A theme counts as prompted when the moderator's latest turn before it was raised names
it; this module decides "names", and nothing else does. The rule is literal on purpose,
so that an analyst can check any verdict by reading the turn:

* **Words.** Text is case-folded, accents are dropped, hyphens and apostrophes inside a
  word are removed ("front-line" reads as "frontline"), "IT" written in capitals is the
  word for information technology (not the pronoun), stop words are left out, and each
  word loses a common ending (``stem``: "approved", "approval" → "approv";
  "budgeting" → "budget").
* **A code's naming phrases** come from its name in the codebook: the name is cut
  before "as a"/"as an" (which says what role the theme plays, not what it is), then
  split at commas, semicolons, slashes, "and", "or" and "versus". A single word before
  "and"/"or" shares the rest of the last phrase ("Senior and political sponsorship" →
  "senior sponsorship", "political sponsorship"). The last part of the code's key is a
  phrase too, underscores read as spaces ("customer_evidence").
* **Naming.** A turn names a code when one of the code's phrases occurs in it, its words
  consecutive once stop words are left out. A phrase shared by two codes names neither.

What it cannot see: paraphrase ("money" for funding, "the pace" for speed, "what
counts as an innovation" for definitions). A theme raised after such a question is
counted as unprompted, so "unprompted" reads "the moderator had not just said its
name". docs/discussion.md gives the rule's agreement with the demo scripts' intended
prompts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_CAPITAL_IT = re.compile(r"\bIT\b")
_INNER = re.compile(r"(?<=\w)[-\u2010\u2011\u2019'](?=\w)")
_WORD = re.compile(r"[a-z0-9]+")
_ROLE = re.compile(r"\bas an?\b", re.IGNORECASE)
_SPLIT = re.compile(r"(,|;|/|\band\b|\bor\b|\bversus\b|\bvs\b)", re.IGNORECASE)
_SHARING = frozenset({"and", "or"})
_ENDINGS = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "es", "ed", "al", "s")
_STOP_WORDS = """a about an and any are as at be been but by can do does for from had has have how
    i if in into is it its me my of on or our so than that the their them then there
    these they this those to too up us was we were what when where which who why will
    with would you your"""
_STOP = frozenset(_STOP_WORDS.split())
MIN_STEM = 4


def stem(word: str) -> str:
    """A word without one common ending, never shorter than four letters."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def words(text: str) -> list[str]:
    """The text's words as the rule compares them: folded, stemmed, stop words out."""
    text = _CAPITAL_IT.sub("infotech", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _INNER.sub("", text)
    return [stem(w) for w in _WORD.findall(text) if w not in _STOP]


def phrases_of(key: str, name: str) -> list[tuple[str, ...]]:
    """The naming phrases of one code (before phrases shared with other codes are removed)."""
    pieces = _SPLIT.split(_ROLE.split(name, maxsplit=1)[0])
    texts, separators = pieces[::2], [s.strip().casefold() for s in pieces[1::2]]
    parts = [words(p) for p in texts]
    if len(parts) > 1 and len(parts[-1]) > 1:
        tail = parts[-1][1:]
        for i, separator in enumerate(separators):
            if separator in _SHARING and len(parts[i]) == 1:
                parts[i] = parts[i] + tail
    last = words(key.rsplit(".", 1)[-1].replace("_", " "))
    found = [tuple(p) for p in [*parts, last] if p]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Namer:
    """The naming phrases of every code, ready to test turns against."""

    phrases: dict[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def from_codes(cls, codes: Iterable[tuple[str, str]]) -> Namer:
        """``codes``: (key, name) pairs, e.g. the study's codebook."""
        own = {key: phrases_of(key, name) for key, name in codes}
        shared = Counter(p for ps in own.values() for p in ps)
        return cls({k: tuple(p for p in ps if shared[p] == 1) for k, ps in own.items()})

    def named(self, text: str) -> frozenset[str]:
        """The codes whose name the text says (see the module's rule)."""
        said = words(text)
        return frozenset(
            key for key, phrases in self.phrases.items() if any(_says(said, p) for p in phrases)
        )


def _says(said: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    first = phrase[0]
    return any(
        said[i] == first and tuple(said[i : i + n]) == phrase for i in range(len(said) - n + 1)
    )
