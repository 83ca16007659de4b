"""Replace personal names, organisations, emails and phone numbers in analytic text.

The raw text is kept in SegmentRaw; what is coded, quoted and exported is the
redacted text, so a name can only reach a report if someone copies raw text out.

Names are matched on a *folded* copy of the text, so spelling a transcriber varies does
not let a name through: letter case (full Unicode case folding, "STRAUSS" = "Strauß"),
accents ("Sian" = "Siân", decomposed "Zoë" = "Zoë"), apostrophes ("O’Neill", "ONeill"),
hyphens ("Smith–Jones", "Smith Jones") and line breaks inside a full name. A name is
whole when no *letter* touches it: "Ana2", "_Ana_" and "Ana's" are redacted,
"Anastasia" is not. Spans found on the folded copy are mapped back to the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from innostudy.folding import HYPHENS as _HYPHENS
from innostudy.folding import LETTER as _LETTER
from innostudy.folding import fold
from innostudy.folding import folded_pattern as _pattern
from innostudy.personal_data import EMAIL, PHONE, email_spans, phone_spans

PARTICIPANT = "[PARTICIPANT]"
ORGANISATION = "[ORGANISATION]"
# Titles and particles are never redacted on their own (only inside a full name).
_NOT_ALONE = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady"}
_NOT_ALONE |= {"rev", "van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "al"}
_NOT_ALONE |= {"bin", "ben", "el", "st"}


@dataclass(frozen=True)
class Term:
    """A string to replace wherever it appears as whole words, however it is spelt."""

    text: str
    tag: str
    kind: str


@dataclass(frozen=True)
class Replacement:
    start: int  # span of the tag in the redacted text
    end: int
    tag: str
    kind: str
    original: str


def _key(folded: str) -> str:
    return re.sub(r"[' -]+", "", folded)


def name_terms(
    full_names: Iterable[str], tag: str = PARTICIPANT, kind: str = "participant"
) -> list[Term]:
    """A full name and every run of its words (first names are how people address each
    other; "van Dijk" is how a surname is said).

    Parts of double-barrelled names count too ("Smith-Jones" gives "Smith" and "Jones");
    titles and particles ("Dr", "van") never count on their own.
    """
    terms: dict[str, Term] = {}
    for name in full_names:
        name = " ".join(name.split())
        if not name:
            continue
        words = name.split(" ")
        runs = [
            " ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
        ]
        parts = [*runs, *(p for w in words for p in re.split(f"[{_HYPHENS}]", w) if p != w)]
        for part in parts:
            key = _key(fold(part)[0])
            alone = all(_key(fold(w)[0]) in _NOT_ALONE for w in part.split(" "))
            if len(key) >= 2 and (part == name or not alone):
                terms.setdefault(key, Term(part, tag, kind))
    return list(terms.values())


class Redactor:
    """Compiled once per import; redacting a segment is then one pass over its folded text."""

    def __init__(self, terms: Iterable[Term]) -> None:
        unique: dict[str, Term] = {}
        for term in terms:
            key = _key(fold(term.text)[0])
            if key:
                unique.setdefault(key, term)
        self._terms = unique
        ordered = sorted(unique.values(), key=lambda t: len(fold(t.text)[0]), reverse=True)
        alternatives = "|".join(_pattern(t.text) for t in ordered)
        self._names = (
            re.compile(rf"(?<!{_LETTER})(?:{alternatives})(?!{_LETTER})") if ordered else None
        )

    @property
    def terms(self) -> list[Term]:
        return list(self._terms.values())

    def redact(self, text: str) -> tuple[str, list[Replacement]]:
        spans: list[tuple[int, int, str, str]] = [
            (start, end, EMAIL, "email") for start, end in email_spans(text)
        ]
        spans += [(start, end, PHONE, "phone") for start, end in phone_spans(text)]
        if self._names is not None:
            spans += self._name_spans(text)
        return _apply(text, spans)

    def _name_spans(self, text: str) -> list[tuple[int, int, str, str]]:
        folded, index = fold(text)
        spans = []
        for m in self._names.finditer(folded) if self._names else ():
            start, end = index[m.start()], index[m.end() - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1  # a decomposed accent belongs to the letter before it
            term = self._terms.get(_key(m.group(0)))
            if term is not None:
                spans.append((start, end, term.tag, term.kind))
        return spans


def _apply(text: str, spans: list[tuple[int, int, str, str]]) -> tuple[str, list[Replacement]]:
    """Replace non-overlapping spans left to right (the earliest, then longest, wins)."""
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[str] = []
    replacements: list[Replacement] = []
    cursor = 0
    length = 0
    for start, end, tag, kind in spans:
        if start < cursor:
            continue
        out.append(text[cursor:start])
        length += start - cursor
        out.append(tag)
        replacements.append(Replacement(length, length + len(tag), tag, kind, text[start:end]))
        length += len(tag)
        cursor = end
    out.append(text[cursor:])
    return "".join(out), replacements
