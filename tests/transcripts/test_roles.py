"""One word list for speaker roles, read the same by every importer and map file."""

from __future__ import annotations

import pytest

from innostudy.exchange.refi.sourcetext import split_source
from innostudy.model import SpeakerRole
from innostudy.transcripts.roles import role_in_label, role_word

F, N, U = SpeakerRole.FACILITATOR, SpeakerRole.NOTE_TAKER, SpeakerRole.UNKNOWN


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Facilitator", F),
        ("Moderator 2", F),
        ("Lead interviewer", F),
        ("HOST", F),
        ("Note-taker", N),
        ("note_taker", N),
        ("Note taker", N),
        ("Notetaker 1", N),
        ("Scribe", N),
        ("Rapporteur", N),
        ("Hostage negotiator", None),
        ("SCS-03", None),
        ("Zoë", None),
    ],
)
def test_a_label_states_a_role(label: str, role: SpeakerRole | None) -> None:
    assert role_in_label(label) is role


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("facilitator", F),
        ("Moderator", F),
        ("note_taker", N),
        ("note-taker", N),
        ("scribe", N),
        ("unknown", U),
        ("moderator 2", None),  # a map file names a role, not a label
        ("SCS-03", None),
    ],
)
def test_a_map_file_names_a_role(word: str, role: SpeakerRole | None) -> None:
    assert role_word(word) is role


def test_qda_sources_accept_every_role_word_as_a_speaker_label() -> None:
    # REFI sources from other tools: a role label counts even if it occurs once
    # (the old REFI list lacked Host, Scribe and Rapporteur)
    text = "Host: Welcome all.\n\nAna: Thanks.\n\nScribe: Noted.\n"
    speakers = [p.speaker for p in split_source(text)]
    assert speakers == ["Host", "Ana", "Scribe"]
