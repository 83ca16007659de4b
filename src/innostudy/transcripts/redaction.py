"""Replace personal names, organisations, emails and phone numbers in analytic text.

The raw text is kept in SegmentRaw; what is coded, quoted and exported is the
redacted text, so a name can only reach a report if someone copies raw text out.

Names are matched on a *folded* copy of the text, so spelling a transcriber varies does
not let a name through: letter case (full Unicode case folding, "STRAUSS" = "Strauß"),
accents ("Sian" = "Siân", decomposed "Zoë" = "Zoë"), apostrophes ("O’Neill", "ONeill"),
hyphens ("Smith–Jones", "Smith Jones") and line breaks inside a full name. A name is
whole when no *letter* touches it: "Ana2", "_Ana_" and "Ana's" are redacted,
"Anastasia" is not. Spans found on the folded copy are mapped back to the original.

Two kinds of term are checked against how the original is written: a name part that is
also an everyday word ("Young", "Green", "Hall", "Grant", see ``name_words.py``) counts
only where it is written as a name and not merely capitalised by a sentence start, or
where a title or a speech verb makes it one; an organisation's acronym ("HMRC") counts
only in capitals, so "ate" is never the Agency for Tidal Energy.
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
from innostudy.transcripts.name_words import EVERYDAY_NAME_WORDS, SPEECH_VERBS, TITLES

PARTICIPANT = "[PARTICIPANT]"
ORGANISATION = "[ORGANISATION]"
# Titles and particles are never redacted on their own (only inside a full name).
_TITLE_WORDS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady"}
_TITLE_WORDS |= {"rev"}
# Particles inside a name; as its first name ("Ben Young", "Al Smith") they are names.
_PARTICLES = {"van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "al"}
_PARTICLES |= {"bin", "ben", "el", "st"}
ANY = "any"  # every spelling
AS_NAME = "as_name"  # written as a name, or in a name's place
CAPITALS = "capitals"  # written in capitals (acronyms)
_RULE_ORDER = {ANY: 0, AS_NAME: 1, CAPITALS: 2}
_SENTENCE_END = ".!?:\n•"
_OPENERS = "\"'“‘([*_ \t"


@dataclass(frozen=True)
class Term:
    """A string to replace wherever it appears as whole words, however it is spelt."""

    text: str
    tag: str
    kind: str
    rule: str = ANY


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
    titles and particles ("Dr", "van") never count on their own, except a particle that
    is the first name ("Ben Young").
    """
    terms: dict[str, Term] = {}
    for name in full_names:
        name = " ".join(name.split())
        if not name:
            continue
        words = name.split(" ")
        keys = [_key(fold(w)[0]) for w in words]
        given = next((i for i, k in enumerate(keys) if k not in _TITLE_WORDS), 0)
        never_alone = [
            k in _TITLE_WORDS or (k in _PARTICLES and i != given) for i, k in enumerate(keys)
        ]
        runs = [
            (" ".join(words[i:j]), all(never_alone[i:j]))
            for i in range(len(words))
            for j in range(i + 1, len(words) + 1)
        ]
        hyphenated = [
            (p, _key(fold(p)[0]) in _TITLE_WORDS | _PARTICLES)
            for w in words
            for p in re.split(f"[{_HYPHENS}]", w)
            if p != w
        ]
        for part, alone in [*runs, *hyphenated]:
            key = _key(fold(part)[0])
            if len(key) >= 2 and (part == name or not alone):
                everyday = " " not in part and key in EVERYDAY_NAME_WORDS
                _keep(terms, key, Term(part, tag, kind, AS_NAME if everyday else ANY))
    return list(terms.values())


_ORG_SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "at", "to", "&", "de", "du", "des"}
_LEGAL = re.compile(r"\s*,?\s+(?:ltd|limited|plc|llp|inc|cic|co)\.?$", re.IGNORECASE)
_PARENTHESES = re.compile(r"\s*\(([^()]*)\)\s*")


def organisation_terms(names: Iterable[str], kind: str = "organisation") -> list[Term]:
    """A registered organisation's name, and the shorter ways people say it.

    "HM Revenue and Customs (HMRC)" also gives "HM Revenue and Customs" and "HMRC";
    "Department for Work and Pensions" gives "DWP" (initials of its words, a word in
    capitals counting whole, as people abbreviate "HM"); "Brightwater Labs Ltd" gives
    "Brightwater Labs". Acronyms of three to six letters count only in capitals.
    """
    terms: dict[str, Term] = {}
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        bracketed = [b.strip() for b in _PARENTHESES.findall(name)]
        plain = _PARENTHESES.sub(" ", name).strip()
        short = _LEGAL.sub("", plain)
        short = short[4:] if short.casefold().startswith("the ") else short
        # A shorter form counts only with two words or more: "Agency (synthetic)" must not
        # make every "agency" an organisation.
        forms = [name, *(f for f in (plain, short) if f != name and len(f.split()) >= 2)]
        for full in forms:
            if len(_key(fold(full)[0])) >= 2:
                _keep(terms, _key(fold(full)[0]), Term(full, ORGANISATION, kind))
        for acronym in [*bracketed, _initials(short)]:
            if 3 <= len(acronym) <= 6 and acronym.isalpha() and acronym.isupper():
                _keep(terms, _key(fold(acronym)[0]), Term(acronym, ORGANISATION, kind, CAPITALS))
    return list(terms.values())


def _initials(name: str) -> str:
    words = [w for w in re.split(f"[\\s{re.escape(_HYPHENS)}]+", name) if w]
    if len(words) < 2:
        return ""
    return "".join(
        w if w.isupper() and w.isalpha() else w[0].upper()
        for w in words
        if w.casefold() not in _ORG_SMALL_WORDS and w[0].isalpha()
    )


def _keep(terms: dict[str, Term], key: str, term: Term) -> None:
    """One term per key; when two differ in rule, the one that redacts more wins."""
    old = terms.get(key)
    if old is None or _RULE_ORDER[term.rule] < _RULE_ORDER[old.rule]:
        terms[key] = term


class Redactor:
    """Compiled once per import; redacting a segment is then one pass over its folded text."""

    def __init__(self, terms: Iterable[Term]) -> None:
        unique: dict[str, Term] = {}
        for term in terms:
            key = _key(fold(term.text)[0])
            if key:
                _keep(unique, key, term)
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
            if term is not None and _written_as(term, text, start, end):
                spans.append((start, end, term.tag, term.kind))
        return spans


def _written_as(term: Term, text: str, start: int, end: int) -> bool:
    """Whether the original at ``start:end`` is the term as its rule requires."""
    original = text[start:end]
    if term.rule == CAPITALS:
        return original.isupper()
    if term.rule == ANY:
        return True
    before = text[:start].rstrip(_OPENERS).split()
    rest = text[end:]
    rest = rest[2:] if rest[:2] in ("'s", "’s") else rest
    after = rest.split()
    if before and before[-1].casefold().rstrip(".") in TITLES:
        return True
    if after and after[0].casefold().strip(".,;:!?\"'”’)") in SPEECH_VERBS:
        return True
    capitalised = original[:1].isupper() and not original.isupper()
    return capitalised and not _sentence_start(text, start)


def _sentence_start(text: str, start: int) -> bool:
    head = text[:start].rstrip(_OPENERS)
    return not head or head[-1] in _SENTENCE_END


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
