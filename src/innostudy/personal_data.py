"""The personal-data rule: what counts as a person's details in text, and what outputs do with it.

Personal data is what the study registered: the full names, email addresses and phone
numbers of participants (``participant_contact``) and of organisations' contacts
(``organisation_contact``). A registered value is found however it is written:

- names on folded text (``innostudy.folding``: case, accents, apostrophes, hyphens,
  spacing), as whole names (no letter touching either end);
- email addresses in any letter case;
- phone numbers by their digits, whatever the spacing or punctuation, and in national or
  international form ("020 7946 0001" = "+44 20 7946 0001" = "+442079460001").

Outputs meant to be read by others either **withhold** (the report, the report preview
and the briefing refuse to be written while a registered value is in them, unless the
user passes ``--allow-personal-data``: ``check``), or **redact** (the REFI-QDA export, the
matrix workbooks and what coders see on web pages replace each value with ``[PERSON]``,
``[EMAIL]`` or ``[PHONE]`` and count them: ``redact``). Redaction also replaces any text
shaped like an email address or phone number, registered or not, since a wrong
replacement costs nothing there; withholding does not, because it would block a report
for the study team's own contact address. Transcripts are redacted on import by
``transcripts/redaction.py`` with a wider net (given names, organisations, a word list)
on the same folding and the same email and phone patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.errors import PersonalDataError
from innostudy.folding import LETTER, fold, folded_pattern
from innostudy.model import OrganisationContact, ParticipantContact

PERSON = "[PERSON]"
EMAIL = "[EMAIL]"
PHONE = "[PHONE]"

# Starting only where a run of address characters starts keeps the search linear: without
# the look-behind, a long run with no "@" (an embedded image) is rescanned from each of its
# characters.
EMAIL_PATTERN = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_PATTERN = re.compile(r"(?<![\w+])\+?\d[\d ().-]{7,}\d(?!\w)")
PHONE_DIGITS = range(9, 16)  # fewer is a year range or an amount; more is not a phone
_MIN_NATIONAL_DIGITS = 8  # the shorter of two numbers compared by their ends


def email_spans(text: str) -> list[tuple[int, int]]:
    """Where text shaped like an email address is."""
    return [m.span() for m in EMAIL_PATTERN.finditer(text)]


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Where text shaped like a phone number is (9 to 15 digits, with or without spaces)."""
    return [
        m.span()
        for m in PHONE_PATTERN.finditer(text)
        if sum(c.isdigit() for c in m.group(0)) in PHONE_DIGITS
    ]


def _national(number: str) -> str:
    """The digits of a phone number without trunk zeros or an international 00."""
    return "".join(c for c in number if c.isdigit()).lstrip("0")


def same_phone(a: str, b: str) -> bool:
    """Whether two written phone numbers are the same number (national or international)."""
    x, y = sorted((_national(a), _national(b)), key=len)
    return len(x) >= _MIN_NATIONAL_DIGITS and y.endswith(x)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str  # "name", "email" or "phone"
    value: str  # the registered value it matched, or the text itself when unregistered
    registered: bool = True

    @property
    def tag(self) -> str:
        return {"name": PERSON, "email": EMAIL, "phone": PHONE}[self.kind]


class PersonalData:
    """A study's registered personal data, compiled once to search many texts."""

    def __init__(self, names: Iterable[str], emails: Iterable[str], phones: Iterable[str]) -> None:
        self.names = _distinct(names, min_length=3)
        self.emails = {e.casefold(): e for e in _distinct(emails, min_length=3)}
        self.phones = [p for p in _distinct(phones) if len(_national(p)) >= _MIN_NATIONAL_DIGITS]
        by_folded = {fold(" ".join(n.split()))[0]: n for n in self.names}
        alternatives = "|".join(folded_pattern(f) for f in sorted(by_folded, key=len, reverse=True))
        self._by_folded = {re.sub(r"[' -]+", "", f): n for f, n in by_folded.items()}
        self._names = (
            re.compile(rf"(?<!{LETTER})(?:{alternatives})(?!{LETTER})") if by_folded else None
        )

    @classmethod
    def of(cls, session: Session) -> PersonalData:
        """Everything the study registered about people."""
        rows = [
            *session.execute(
                sa.select(
                    ParticipantContact.full_name, ParticipantContact.email, ParticipantContact.phone
                )
            ),
            *session.execute(
                sa.select(
                    OrganisationContact.contact_name,
                    OrganisationContact.email,
                    OrganisationContact.phone,
                )
            ),
        ]
        return cls([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])

    def __bool__(self) -> bool:
        return bool(self.names or self.emails or self.phones)

    def find(self, text: str, *, unregistered: bool = False) -> list[Found]:
        """Registered values in ``text`` (with ``unregistered``, also any email address or
        phone number), left to right, not overlapping."""
        found = self._find_names(text)
        for start, end in email_spans(text):
            registered = self.emails.get(text[start:end].casefold())
            if registered is not None or unregistered:
                found.append(
                    Found(start, end, "email", registered or text[start:end], bool(registered))
                )
        for start, end in phone_spans(text):
            registered = next((p for p in self.phones if same_phone(p, text[start:end])), None)
            if registered is not None or unregistered:
                found.append(
                    Found(start, end, "phone", registered or text[start:end], bool(registered))
                )
        return _leftmost_longest(found)

    def _find_names(self, text: str) -> list[Found]:
        if self._names is None:
            return []
        folded, index = fold(text)
        found = []
        for m in self._names.finditer(folded):
            start, end = index[m.start()], index[m.end() - 1] + 1
            name = self._by_folded.get(re.sub(r"[' -]+", "", m.group(0)))
            if name is not None:
                found.append(Found(start, end, "name", name))
        return found

    def redact(self, text: str) -> tuple[str, int]:
        """``text`` with every registered value and every email address and phone number
        replaced by its tag, and how many were replaced."""
        found = self.find(text, unregistered=True)
        if not found:
            return text, 0
        out, cursor = [], 0
        for f in found:
            out += [text[cursor : f.start], f.tag]
            cursor = f.end
        out.append(text[cursor:])
        return "".join(out), len(found)

    def check(self, text: str, output: str) -> None:
        """Refuse ``output`` (one line, naming it) if ``text`` holds registered personal data."""
        values = list(dict.fromkeys(f.value for f in self.find(text)))
        if values:
            shown = ", ".join(repr(v) for v in values[:3])
            more = f" and {len(values) - 3} more" if len(values) > 3 else ""
            raise PersonalDataError(
                f"{output}: would contain registered personal data ({shown}{more}); "
                "remove it from the narrative or quotes, or pass --allow-personal-data"
            )


def _distinct(values: Iterable[str | None], *, min_length: int = 1) -> list[str]:
    cleaned = (" ".join((v or "").split()) for v in values)
    return sorted({v for v in cleaned if len(v) >= min_length})


def _leftmost_longest(found: list[Found]) -> list[Found]:
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    for f in found:
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept
