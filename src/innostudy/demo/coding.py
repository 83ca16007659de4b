"""A simulated human coder for the demo, and the quotes an analyst would pick.

The dialogue generator knows which sub-code each participant turn was written for;
the simulated coder applies that code to the whole turn, as a careful coder would.
"""

from __future__ import annotations

import random
from collections import defaultdict

from sqlalchemy.orm import Session

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named
from innostudy.coding.quotes import select_quote, speaker_participant
from innostudy.coding.spans import trim_span
from innostudy.fieldwork.consent import may_quote
from innostudy.model import Coding, Segment

DEMO_CODER = "analyst-a"
QUOTES_PER_GROUP_AND_AREA = 2


def code_turns(session: Session, segments_and_codes: list[tuple[Segment, str]]) -> list[Coding]:
    """Apply each turn's own sub-code to its whole (trimmed) text."""
    codes = codes_by_key(session, study_codebook(session))
    coder = coder_named(session, DEMO_CODER)
    codings = []
    for segment, key in segments_and_codes:
        start, end = trim_span(segment.text, 0, len(segment.text))
        codings.append(apply_code(session, segment, codes[key], coder, start, end))
    return codings


def pick_quotes(session: Session, codings: list[Coding], rng: random.Random) -> int:
    """Per group and area, a couple of quotable codings become report quotes."""
    buckets: dict[tuple[int, str], list[Coding]] = defaultdict(list)
    for coding in codings:
        participant = speaker_participant(coding.segment)
        if (
            participant is None
            or participant.focus_group_id is None
            or not may_quote(participant.consent)
        ):
            continue
        if "[" in coding.segment.text or len(coding.segment.text.split()) > 70:
            continue  # an analyst avoids quotes full of redaction tags, and overlong ones
        buckets[(participant.focus_group_id, coding.code.area)].append(coding)
    chosen = 0
    for key in sorted(buckets):
        for coding in rng.sample(buckets[key], min(QUOTES_PER_GROUP_AND_AREA, len(buckets[key]))):
            select_quote(session, coding, selected_by=DEMO_CODER)
            chosen += 1
    return chosen
