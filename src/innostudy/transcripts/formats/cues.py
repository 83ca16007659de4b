"""What WebVTT and SRT share: cue blocks, cue timings, speakers inside cue text, and turns.

Subtitle files cut speech into cues of a few seconds; a transcript wants speaker turns.
Consecutive cues of one speaker become one turn (start of the first, end of the last);
a cue that carries several voices (people talking over each other) gives one turn per
voice, all with the cue's times.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from innostudy.errors import InputError
from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft
from innostudy.transcripts.formats.lines import MAX_LABEL_WORDS, NAME, check_turns
from innostudy.transcripts.timecodes import parse_cue_time

Line = tuple[int, str]

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+(?P<name>[^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_NAMED = re.compile(rf"^(?P<name>{NAME})\s*:\s+(?P<text>\S.*)$", re.DOTALL)
_DASH = re.compile(r"^[-–—]\s+")


@dataclass
class Cue:
    line: int  # line of the timing line
    start_ms: int
    end_ms: int
    payload: list[str]


def blocks(lines: Iterable[Line]) -> list[list[Line]]:
    """Runs of non-blank lines, as both formats separate their blocks with blank lines."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for number, text in lines:
        if text.strip():
            current.append((number, text.rstrip()))
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def parse_timing(text: str, number: int, source: Path, example: str) -> tuple[int, int]:
    """``start --> end [settings]`` → (start_ms, end_ms); a bad time names its line."""
    left, _, right = text.partition("-->")
    fields = right.split()
    values = (left.strip(), fields[0] if fields else "")
    times = [parse_cue_time(value) for value in values]
    for value, ms in zip(values, times, strict=True):
        if ms is None:
            raise InputError(
                source,
                number,
                "timestamp",
                f"'{value}' is not a cue time like {example}",
                unit="line",
            )
    start, end = (ms or 0 for ms in times)
    if end < start:
        raise InputError(
            source,
            number,
            "timestamp",
            f"cue ends ({values[1]}) before it starts ({values[0]})",
            unit="line",
        )
    return start, end


def _clean(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _named(text: str) -> tuple[str | None, str]:
    m = _NAMED.match(text)
    if m is not None and len(m.group("name").split()) <= MAX_LABEL_WORDS:
        return m.group("name").strip(), m.group("text")
    return None, text


def cue_voices(payload: list[str]) -> list[tuple[str | None, str]]:
    """(speaker, text) pieces of one cue: ``<v Name>`` voices, else ``Name: text`` lines.

    Voice tags may be left unclosed (Teams does); a line opening with a dash starts
    another speaker's line, as subtitles mark two people in one cue.
    """
    text = "\n".join(payload)
    voices = list(_VOICE.finditer(text))
    pieces: list[tuple[str | None, str]] = []
    if voices:
        pieces.append((None, text[: voices[0].start()]))
        for i, voice in enumerate(voices):
            end = voices[i + 1].start() if i + 1 < len(voices) else len(text)
            pieces.append(((voice.group("name") or "").strip() or None, text[voice.end() : end]))
    else:
        lines = [_DASH.sub("", line) for line in payload] if _dialogue(payload) else [text]
        pieces = [_named(_clean(line)) for line in lines]
    cleaned = [(speaker, _clean(body)) for speaker, body in pieces]
    return [(speaker, body) for speaker, body in cleaned if body]


def _dialogue(payload: list[str]) -> bool:
    return len(payload) > 1 and all(_DASH.match(line) for line in payload)


def cue_turns(cues: Iterable[Cue], source: Path) -> TranscriptDraft:
    """Merge consecutive cues of one speaker into turns.

    Captioners often name the speaker only when it changes, so once a file has named
    anyone, an unnamed cue continues the current turn. In a file that names nobody,
    every cue stays a turn of its own.
    """
    pieces = [(cue, speaker, text) for cue in cues for speaker, text in cue_voices(cue.payload)]
    named = any(speaker is not None for _, speaker, _ in pieces)
    draft = TranscriptDraft()
    for cue, speaker, text in pieces:
        last = draft.segments[-1] if draft.segments else None
        continues = speaker is None and named and last is not None
        if last is not None and (continues or (speaker is not None and last.speaker == speaker)):
            last.text = f"{last.text} {text}"
            last.end_ms = max(last.end_ms or cue.end_ms, cue.end_ms)
            continue
        draft.segments.append(
            SegmentDraft(speaker, text, cue.line, start_ms=cue.start_ms, end_ms=cue.end_ms)
        )
    check_turns(draft, source)
    return draft
