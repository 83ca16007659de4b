"""Synthetic focus-group speech: a scripted dialogue spoken by espeak-ng, joined by sox.

Used by the tests and the benchmark of ``transcripts transcribe`` and by the script that
made the demo's recording, so all three measure against a script whose every word and
speaker is known. Each speaker gets a voice of their own (an espeak-ng variant, pitch
and speed), the way people in a room differ. Needs the ``espeak-ng`` and ``sox``
programs (Debian packages of those names); nothing here runs when the demo is built.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_RATE = 16_000
TOOLS = ("espeak-ng", "sox")


@dataclass(frozen=True)
class Voice:
    espeak: str  # a voice and variant, e.g. "en-gb+m3"
    pitch: int  # 0-99
    speed: int  # words a minute


# Six of espeak-ng's voices that Whisper understands well and that a speaker encoder still
# tells apart (pairwise cosine similarity of their mean vectors at most 0.80).
VOICES: tuple[Voice, ...] = (
    Voice("en-us+m2", 60, 165),
    Voice("en-us+f5", 80, 170),
    Voice("en-us+klatt", 50, 170),
    Voice("en-us+Annie", 80, 170),
    Voice("en-us+m7", 30, 165),
    Voice("en-us+david", 35, 180),
)


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str


@dataclass(frozen=True)
class SpokenLine:
    """A line as it sits in the recording, in seconds from the start."""

    speaker: str
    text: str
    start: float
    end: float


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def speak(
    lines: Sequence[Line],
    voices: dict[str, Voice],
    out: Path,
    *,
    pauses: Sequence[float] = (0.5,),
    extra: Sequence[str] = (),
) -> list[SpokenLine]:
    """Write ``out`` (any format sox writes, by its suffix) and return where each line is.

    ``pauses`` are cycled between lines; ``extra`` are sox output options (``-C 0``).
    """
    with tempfile.TemporaryDirectory(prefix="innostudy-speech-") as tmp:
        folder = Path(tmp)
        parts: list[Path] = []
        spoken: list[SpokenLine] = []
        clock = 0.0
        for i, line in enumerate(lines):
            part = _say(folder, i, line.text, voices[line.speaker])
            seconds = _seconds(part)
            spoken.append(SpokenLine(line.speaker, line.text, clock, clock + seconds))
            parts.append(part)
            clock += seconds
            if i < len(lines) - 1:
                pause = pauses[i % len(pauses)]
                parts.append(_silence(folder, pause))
                clock += round(pause * SAMPLE_RATE) / SAMPLE_RATE
        out.parent.mkdir(parents=True, exist_ok=True)
        _run(["sox", *map(str, parts), *extra, str(out)])
    return spoken


def _say(folder: Path, i: int, text: str, voice: Voice) -> Path:
    raw, part = folder / f"{i}-raw.wav", folder / f"{i}.wav"
    _run(
        [
            "espeak-ng",
            "-v",
            voice.espeak,
            "-p",
            str(voice.pitch),
            "-s",
            str(voice.speed),
            "-w",
            str(raw),
            text,
        ]
    )
    _run(["sox", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(part)])
    return part


def _silence(folder: Path, seconds: float) -> Path:
    path = folder / f"silence-{seconds:.3f}.wav"
    if not path.exists():
        _run(
            [
                "sox",
                "-n",
                "-r",
                str(SAMPLE_RATE),
                "-c",
                "1",
                "-b",
                "16",
                str(path),
                "trim",
                "0",
                f"{seconds:.3f}",
            ]
        )
    return path


def _seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)
