"""A synthetic focus-group recording, spoken by espeak-ng from a script kept here.

Four voices: the moderator and the three participants of the fieldwork test study. The
script is the answer key for word error rate and speaker attribution. CI installs
espeak-ng and sox (.ci/run); elsewhere the tests that need them are skipped, saying so.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from innostudy.demo.speech import VOICES, Line, SpokenLine, missing_tools, speak

SCRIPT = [
    Line("moderator", "Thank you all for coming today. Where did your innovation begin?"),
    Line("P1", "Our idea came from the front line staff who saw the same problem every week."),
    Line("P2", "In my department it was the minister who pushed for it after a critical report."),
    Line("P3", "We had no business case at the start, we simply tried a small pilot."),
    Line("moderator", "What got in the way, and what helped you most?"),
    Line("P2", "Procurement rules slowed us down more than anything else."),
    Line("P1", "I would say fear of failure is the real barrier, nobody wants to be blamed."),
    Line("P3", "Peter Jones at the treasury helped us find the money in the end."),
    Line("moderator", "Did anyone measure the impact on the people who use the service?"),
    Line("P3", "We asked users before and after, and satisfaction went up clearly."),
    Line("P1", "We never had a baseline, so we cannot really prove what changed."),
    Line("P2", "Leadership made the difference for us, our director protected the team."),
]
SPEAKERS = ["moderator", "P1", "P2", "P3"]
PAUSES = (0.45, 0.3, 0.6, 0.35)


@dataclass(frozen=True)
class Recording:
    path: Path
    spoken: list[SpokenLine]

    @property
    def turns(self) -> list[tuple[str, str]]:
        return [(s.speaker, s.text) for s in self.spoken]


def needs_speech_tools() -> None:
    missing = missing_tools()
    if missing:
        pytest.skip(f"needs {' and '.join(missing)} to synthesise speech (apt-get install it)")


@pytest.fixture(scope="session")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Recording:
    """About 50 seconds of four synthetic voices, as 16 kHz WAV."""
    needs_speech_tools()
    path = tmp_path_factory.mktemp("speech") / "session.wav"
    voices = dict(zip(SPEAKERS, VOICES, strict=False))
    return Recording(path, speak(SCRIPT, voices, path, pauses=PAUSES))


@pytest.fixture
def recording_copy(recording: Recording, tmp_path: Path) -> Path:
    target = tmp_path / recording.path.name
    shutil.copyfile(recording.path, target)
    return target
