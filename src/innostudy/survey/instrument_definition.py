"""The instrument as one of the study's definitions: stored in the database with its
history, read from there by every stage (docs/team.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from innostudy.definitions.kind import Kind
from innostudy.definitions.reading import read
from innostudy.survey.instrument import Instrument, parse_instrument_text

if TYPE_CHECKING:
    from innostudy.storage.store import StudyStore

# Instruments are immutable and read on every survey page, so parsed ones are kept.
INSTRUMENT: Kind[Instrument] = Kind("instrument", parse_instrument_text, cache=True)


def study_instrument(store: StudyStore, session: Session | None = None) -> Instrument:
    """The study's current instrument (the folder's file is checked when the store asks)."""
    return read(store, INSTRUMENT, session)
