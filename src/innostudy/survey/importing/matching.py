"""Match column names to questions, choices and items, the way people write them.

A column is matched, in this order, by question key (``cost_band``), by key and part
(``origin/ministers``, ``origin.ministers``, ``origin[ministers]``, ``origin___1``,
``origin_ministers``), ignoring case and punctuation (``CostBand``), or by the question
label and choice or item label ("Impacts/Service delivery"). Parts name a choice by
value, label or code, and an item by key or label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from innostudy.survey.importing.cells import ChoiceLookup, norm
from innostudy.survey.importing.plan import (
    EXTERNAL_ID,
    NAME,
    RECEIVED,
    RESPONSE_ID,
    STARTED,
    STATUS,
    SUBMITTED,
    TOKEN,
    TYPE,
    Binding,
    Item,
    Mark,
    RankOf,
    Whole,
)
from innostudy.survey.instrument import Instrument, Question, QuestionType

_PART = re.compile(r"^(?P<q>.+?)(?:/|\.|\[|___|:)(?P<part>[^\]]+)\]?$")
_LOOSE = re.compile(r"[^0-9a-z]+")

ROLE_NAMES = {
    TOKEN: ("token", "invitation token", "access token"),
    EXTERNAL_ID: (
        "external_id",
        "external id",
        "externalreference",
        "external reference",
        "org_id",
    ),
    NAME: (
        "organisation",
        "organization",
        "organisation name",
        "organization name",
        "org",
        "org_name",
    ),
    TYPE: ("organisation_type", "organization_type", "organisation type", "org_type", "type"),
    STATUS: ("status", "response status", "response_status"),
    # the layout survey export writes (respondents' times round-trip)
    STARTED: ("started_at",),
    SUBMITTED: ("submitted_at",),
    RECEIVED: ("received_at",),
    RESPONSE_ID: ("response_id",),
}


def loose(text: str) -> str:
    """``Cost band``, ``cost_band`` and ``CostBand`` compare equal."""
    return _LOOSE.sub("", text.casefold())


def role_of(name: str) -> str | None:
    key = loose(name)
    for role, names in ROLE_NAMES.items():
        if key in {loose(n) for n in names}:
            return role
    return None


@dataclass
class Matcher:
    instrument: Instrument

    def __post_init__(self) -> None:
        self.questions = list(self.instrument.questions())
        self.by_key = {q.key: q for q in self.questions}
        self.by_loose: dict[str, Question] = {}
        self.by_label: dict[str, Question] = {}
        items: dict[str, list[Binding]] = {}
        for q in self.questions:
            self.by_loose.setdefault(loose(q.key), q)
            self.by_label.setdefault(norm(q.label), q)
            for i in q.items:
                items.setdefault(i.key, []).append(Item(q.key, i.key))
                items.setdefault(norm(i.label), []).append(Item(q.key, i.key))
        # an item named on its own (REDCap matrix fields): only when one matrix has it
        self.bare_items = {key: found[0] for key, found in items.items() if len(found) == 1}

    def question(self, name: str) -> Question | None:
        return (
            self.by_key.get(name.strip())
            or self.by_loose.get(loose(name))
            or self.by_label.get(norm(name))
        )

    def match(self, name: str) -> Binding | None:
        exact = self.by_key.get(name.strip())
        if exact is not None:
            return self._whole(exact)
        split = _PART.match(name.strip())
        if split is not None:
            found = self.part(split["q"], split["part"])
            if found is not None:
                return found
        q = self.question(name)
        if q is not None:
            return self._whole(q)
        bare = self.bare_items.get(name.strip()) or self.bare_items.get(norm(name))
        if bare is not None:
            return bare
        if "_" in name:  # origin_ministers: try every underscore as the split point
            pieces = name.strip().split("_")
            for i in range(1, len(pieces)):
                found = self.part("_".join(pieces[:i]), "_".join(pieces[i:]))
                if found is not None:
                    return found
        return None

    @staticmethod
    def _whole(q: Question) -> Binding | None:
        return None if q.type is QuestionType.LIKERT_MATRIX else Whole(q.key)

    def part(self, question: str, part: str) -> Binding | None:
        """The binding for ``question`` + ``part`` (a choice or an item), if both exist."""
        q = self.question(question)
        if q is None:
            return None
        if q.type is QuestionType.LIKERT_MATRIX:
            item = next(
                (i for i in q.items if i.key == part.strip() or norm(i.label) == norm(part)),
                None,
            )
            return Item(q.key, item.key) if item is not None else None
        if q.type not in (QuestionType.MULTI_CHOICE, QuestionType.RANKING):
            return None
        choice = ChoiceLookup.of(q.choices).find(part)
        if choice is None:  # LimeSurvey codes drop the underscores: innovationtitle
            key = loose(part)
            choice = next((c.value for c in q.choices if key and loose(c.value) == key), None)
        if choice is None:
            return None
        return Mark(q.key, choice) if q.type is QuestionType.MULTI_CHOICE else RankOf(q.key, choice)
