"""The quotes an analyst would pick from the demo's accepted codings.

(The simulated coders themselves live in demo/autocoding.py.)
"""

from __future__ import annotations

import random
from collections import defaultdict

from sqlalchemy.orm import Session

from innostudy.coding.quotes import select_quote, speaker_participant
from innostudy.demo.autocoding import FIRST_CODER
from innostudy.fieldwork.consent import may_quote
from innostudy.model import Coding

QUOTES_PER_GROUP_AND_AREA = 2


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
            select_quote(session, coding, selected_by=FIRST_CODER)
            chosen += 1
    return chosen
