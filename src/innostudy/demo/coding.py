"""The quotes an analyst would pick from the demo's accepted codings, and how they edit them.

(The simulated coders themselves live in demo/autocoding.py.) Per group and area the
analyst picks a couple of quotable codings, introduced by the theme they speak to
("On funding:"); per group, one more for each theme the report gives its own block
(definitions, front-line staff, sponsorship, triggers). Turns the dialogue scripts mark
as quotable with an edit (a stretch elided, a clarification added) are quoted first, with
that edit, so the report's balanced selection (which takes quotes in the order chosen)
shows them; other long turns are shortened as qualitative reports shorten them: the
opening and closing sentences joined by ". . .". Every piece is checked against the
transcript by ``coding.quotes.add_quote``.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.orm import Session

from innostudy.coding.quotes import add_quote, quote_refusal, speaker_participant
from innostudy.demo.autocoding import FIRST_CODER
from innostudy.demo.ground_truth import load_ground_truth
from innostudy.errors import InputError
from innostudy.model import Coding

QUOTES_PER_GROUP_AND_AREA = 2
#: Themes with a quote block of their own in the demo report: one more quote per group.
FEATURED = (
    "general.definitions",
    "origins.frontline",
    "origins.sponsorship",
    "origins.pressure",
    "origins.cooperation",
)
LONG_TURN = 45  # words: longer turns are shortened with an ellipsis
_SENTENCE = re.compile(r"[^.!?]+[.!?]+")


def authored_quotes(folder: Path) -> dict[int, str]:
    """Segment id → the edited quote its script line allows, from the study's ground truth."""
    truth = load_ground_truth(folder)
    return {t.segment_id: t.quote for s in truth.sessions for t in s.turns if t.quote}


def pick_quotes(
    session: Session,
    codings: list[Coding],
    rng: random.Random,
    edits: Mapping[int, str] | None = None,
) -> int:
    """Per group and area (and per group and featured theme), quotable codings become quotes.

    ``edits`` maps a segment id to the edited quote its script line allows (from the
    ground truth); those turns are quoted first, once each, under their first featured
    code if they have one.
    """
    chosen: set[int] = set()
    used: set[int] = set()  # segments quoted already: a turn is quoted once
    for coding in sorted(
        (c for c in codings if edits and c.segment_id in edits),
        key=lambda c: (c.code.key not in FEATURED, c.id),
    ):
        if coding.segment_id in used or quote_refusal(coding.segment) is not None:
            continue
        featured = coding.code.key in FEATURED
        try:
            add_quote(
                session,
                coding,
                text=edits[coding.segment_id] if edits else None,
                lead_in="" if featured else f"On {_lower(coding.code.name)}:",
                selected_by=FIRST_CODER,
            )
        except InputError:
            continue  # a coding of part of the turn: the edit does not fit its span
        chosen.add(coding.id)
        used.add(coding.segment_id)
    by_area: dict[tuple[int, str], list[Coding]] = defaultdict(list)
    by_theme: dict[tuple[int, str], list[Coding]] = defaultdict(list)
    for coding in codings:
        participant = speaker_participant(coding.segment)
        if participant is None or participant.focus_group_id is None:
            continue
        if coding.segment_id in used or quote_refusal(coding.segment) is not None:
            continue
        if "[" in coding.segment.text or len(coding.segment.text.split()) > 90:
            continue  # an analyst avoids quotes full of redaction tags, and overlong ones
        by_area[(participant.focus_group_id, coding.code.area)].append(coding)
        if coding.code.key in FEATURED:
            by_theme[(participant.focus_group_id, coding.code.key)].append(coding)
    for key in sorted(by_area):
        for coding in rng.sample(by_area[key], min(QUOTES_PER_GROUP_AND_AREA, len(by_area[key]))):
            featured = coding.code.key in FEATURED  # its own block names the theme already
            _quote(session, coding, lead_in="" if featured else f"On {_lower(coding.code.name)}:")
            chosen.add(coding.id)
    for key in sorted(by_theme):
        fresh = [c for c in by_theme[key] if c.id not in chosen]
        if fresh:
            coding = rng.choice(fresh)
            _quote(session, coding, lead_in="")
            chosen.add(coding.id)
    return len(chosen)


def _lower(name: str) -> str:
    """ "Funding" → "funding", but "IT constraints" stays as it is."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def _quote(session: Session, coding: Coding, *, lead_in: str) -> None:
    add_quote(session, coding, text=shortened(coding), lead_in=lead_in, selected_by=FIRST_CODER)


def shortened(coding: Coding) -> str | None:
    """The first and last sentences of a long coded span, joined by ". . ."; else None."""
    span = coding.segment.text[coding.start : coding.end]
    sentences = [s.strip() for s in _SENTENCE.findall(span)]
    if len(span.split()) <= LONG_TURN or len(sentences) < 3:
        return None
    return f"{sentences[0]} . . . {sentences[-1]}"
