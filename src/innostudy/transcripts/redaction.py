"""Replace personal names, organisations, emails and phone numbers in analytic text.

The raw text is kept in SegmentRaw; what is coded, quoted and exported is the
redacted text, so a name can only reach a report if someone copies raw text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PARTICIPANT = "[PARTICIPANT]"
ORGANISATION = "[ORGANISATION]"
PERSON = "[PERSON]"
EMAIL = "[EMAIL]"
PHONE = "[PHONE]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{7,}\d(?!\w)")


@dataclass(frozen=True)
class Term:
    """A string to replace wherever it appears as whole words, in any letter case."""

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


def name_terms(
    full_names: Iterable[str], tag: str = PARTICIPANT, kind: str = "participant"
) -> list[Term]:
    """A full name and each of its parts (first names are how people address each other)."""
    terms: dict[str, Term] = {}
    for name in full_names:
        name = " ".join(name.split())
        if not name:
            continue
        for part in [name, *name.split(" ")]:
            if len(part) >= 2:
                terms.setdefault(part.casefold(), Term(part, tag, kind))
    return list(terms.values())


class Redactor:
    """Compiled once per import; redacting many segments is then one regex pass each."""

    def __init__(self, terms: Iterable[Term]) -> None:
        unique = {t.text.casefold(): t for t in terms if t.text.strip()}
        self._terms = unique
        ordered = sorted(unique.values(), key=lambda t: len(t.text), reverse=True)
        if ordered:
            alternatives = "|".join(r"\s+".join(map(re.escape, t.text.split())) for t in ordered)
            self._names: re.Pattern[str] | None = re.compile(
                rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE
            )
        else:
            self._names = None

    def redact(self, text: str) -> tuple[str, list[Replacement]]:
        spans: list[tuple[int, int, str, str]] = []
        for pattern, tag, kind in ((_EMAIL, EMAIL, "email"), (_PHONE, PHONE, "phone")):
            spans += [(m.start(), m.end(), tag, kind) for m in pattern.finditer(text)]
        if self._names is not None:
            for m in self._names.finditer(text):
                term = self._term_for(m.group(0))
                spans.append((m.start(), m.end(), term.tag, term.kind))
        return _apply(text, spans)

    def _term_for(self, matched: str) -> Term:
        term = self._terms.get(" ".join(matched.split()).casefold())
        if term is not None:
            return term
        # The regex folds case character by character, casefold() may not (e.g. 'ß').
        return next(
            t
            for t in self._terms.values()
            if re.fullmatch(r"\s+".join(map(re.escape, t.text.split())), matched, re.IGNORECASE)
        )


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
