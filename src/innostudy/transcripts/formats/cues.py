"""What WebVTT and SRT share: cues read leniently, speakers inside cue text, and turns.

Subtitle files cut speech into cues of a few seconds; a transcript wants speaker turns.
Consecutive cues of one speaker become one turn (start of the first, end of the last);
a cue that carries several voices (people talking over each other) gives one turn per
voice, all with the cue's times.

Real files bend the rules (see tests/fixtures/real-world-formats.md), so cues are found
by their timing lines, not by blank lines: Zoom and YouTube files that forget the blank
line between cues, Teams' unpadded times (``0:0:6.90``), hour-less times, cue settings,
NOTE, STYLE and REGION blocks, and a missing ``WEBVTT`` line all read as a person reads
them. What cannot be a cue (a block of text with no timing line) is still an error that
names its line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from innostudy.errors import InputError
from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft
from innostudy.transcripts.formats.layouts import MAX_LABEL_WORDS, NAME
from innostudy.transcripts.formats.lines import check_turns
from innostudy.transcripts.timecodes import is_unpadded, parse_cue_time

Line = tuple[int, str]

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+(?P<name>[^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_NAMED = re.compile(rf"^(?P<name>{NAME})\s*:\s+(?P<text>\S.*)$", re.DOTALL)
# Captioners' other ways of naming a speaker: "[Alba] En 1928," and "(Dana Bettinger)".
_BRACKETED = re.compile(r"^[\[(](?P<name>[^\W\d_][^\]\)]{0,58})[\])]\s*(?P<text>.*)$", re.DOTALL)
_SOUNDS = {"music", "laughter", "laughs", "laughing", "applause", "inaudible", "crosstalk"}
_SOUNDS |= {"silence", "noise", "coughs", "pause", "unintelligible", "indistinct", "background"}
_DASH = re.compile(r"^[-–—]\s+")
_BLOCKS = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t].*)?$")
_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
# A cue identifier written without the blank line before it: SRT's and Zoom's numbers,
# Teams' "<uuid>/<n>-<n>".
_IDENTIFIER = re.compile(r"^(?:\d+|[0-9a-fA-F-]{8,}(?:/\d+-\d+)?)$")
#: A timing line on its own, as Teams writes it in Word and as it is pasted into text.
TEAMS_TIMING = re.compile(
    r"^\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?\s*-->\s*\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?$"
)


@dataclass
class Cue:
    line: int  # line of the timing line
    start_ms: int
    end_ms: int
    payload: list[str]


@dataclass
class CueFile:
    cues: list[Cue] = field(default_factory=list)
    had_header: bool = False
    unpadded: bool = False


def parse_timing(
    text: str, number: int, source: Path, example: str, *, unpadded_ms: bool = False
) -> tuple[int, int]:
    """``start --> end [settings]`` → (start_ms, end_ms); a bad time names its line."""
    left, _, right = text.partition("-->")
    fields = right.split()
    values = (left.strip(), fields[0] if fields else "")
    times = [parse_cue_time(value, unpadded_ms=unpadded_ms) for value in values]
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


def _is_timing(text: str) -> bool:
    return "-->" in text


def _file_is_unpadded(lines: Sequence[Line]) -> bool:
    """Teams pads no field anywhere; one unpadded time decides how fractions are read."""
    return any(_is_timing(text) and is_unpadded(text) for _, text in lines)


def read_cues(lines: Sequence[Line], source: Path, example: str, expected: str) -> CueFile:
    """Every cue of a WebVTT or SRT file, found by its timing line.

    ``expected`` describes a cue for the error raised when a block of text has no
    timing line at all.
    """
    out = CueFile(unpadded=_file_is_unpadded(lines))
    i = _skip_header(lines, out)
    at_block_start = True
    skipping = False
    current: Cue | None = None
    pending: list[Line] = []  # lines of a block that has not shown its timing line yet
    for number, raw in lines[i:]:
        text = raw.rstrip()
        if not text.strip():
            _orphans(pending, out, source, expected)
            at_block_start, skipping, pending = True, False, []
            continue
        if _is_timing(text):
            start, end = parse_timing(text, number, source, example, unpadded_ms=out.unpadded)
            if _ends_with_identifier(current, at_block_start):
                current.payload.pop()  # the next cue's identifier, no blank line before it
            _orphans(pending[:-1], out, source, expected)
            current = Cue(number, start, end, [])
            out.cues.append(current)
            at_block_start, skipping, pending = False, False, []
            continue
        if skipping:
            continue
        if at_block_start and not pending and _BLOCKS.match(text):
            skipping = True
            continue
        if at_block_start:
            pending.append((number, text))
            continue
        if current is not None:
            current.payload.append(text)
    _orphans(pending, out, source, expected)
    return out


def _ends_with_identifier(current: Cue | None, at_block_start: bool) -> TypeGuard[Cue]:
    return (
        current is not None
        and not at_block_start
        and bool(current.payload)
        and _IDENTIFIER.match(current.payload[-1].strip()) is not None
    )


def _skip_header(body: Sequence[Line], out: CueFile) -> int:
    """Past the ``WEBVTT`` line and its metadata (up to a blank line or the first cue)."""
    first = next((k for k, (_, text) in enumerate(body) if text.strip()), len(body))
    if first == len(body) or not _HEADER.match(body[first][1].strip()):
        return first
    out.had_header = True
    k = first + 1
    while k < len(body) and body[k][1].strip() and not _is_timing(body[k][1]):
        k += 1
    return k


def _orphans(pending: list[Line], out: CueFile, source: Path, expected: str) -> None:
    """Lines of a block without a timing line: the words of a cue whose text came after a
    blank line (some tools write one), else an error naming the first line."""
    if not pending:
        return
    last = out.cues[-1] if out.cues else None
    if last is not None and not last.payload:
        last.payload.extend(text for _, text in pending)
        return
    number, text = pending[0]
    raise InputError(source, number, None, f"expected {expected}, found '{text[:40]}'", unit="line")


def _clean(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _plausible(name: str) -> bool:
    return len(name.split()) <= MAX_LABEL_WORDS


def _named(text: str) -> tuple[str | None, str]:
    m = _NAMED.match(text)
    if m is not None and _plausible(m.group("name")):
        return m.group("name").strip(), m.group("text")
    b = _BRACKETED.match(text)
    if b is not None and _bracket_names(b.group("name")):
        return b.group("name").strip(), b.group("text")
    return None, text


def _bracket_names(inside: str) -> bool:
    """``[Alba]`` names a speaker; ``[ríen emocionadas]`` and ``[Music]`` do not."""
    words = inside.split()
    return (
        _plausible(inside)
        and bool(words)
        and words[0][0].isupper()
        and inside.strip().casefold() not in _SOUNDS
        and not inside.isupper()
    )


Voice = tuple[str | None, str, bool]  # speaker, words, and whether the cue marks a new voice


def cue_voices(payload: list[str]) -> list[Voice]:
    """(speaker, text) pieces of one cue: ``<v Name>`` voices, else ``Name: text`` lines.

    Voice tags may be left unclosed (Teams does); a line opening with a dash starts
    another speaker's line, as subtitles mark two people in one cue; a line that is only
    ``(Name)`` names the speaker of the lines after it (Google Meet).
    """
    text = "\n".join(payload)
    voices = list(_VOICE.finditer(text))
    pieces: list[tuple[str | None, str]] = []
    dialogue = not voices and _dialogue(payload)
    if voices:
        pieces.append((None, text[: voices[0].start()]))
        for i, voice in enumerate(voices):
            end = voices[i + 1].start() if i + 1 < len(voices) else len(text)
            pieces.append(((voice.group("name") or "").strip() or None, text[voice.end() : end]))
    elif dialogue:
        pieces = [_named(_clean(_DASH.sub("", line))) for line in payload]
    else:
        pieces = [_named(_clean(text))]
    cleaned = [(speaker, _clean(body), dialogue) for speaker, body in pieces]
    return [(speaker, body, new) for speaker, body, new in cleaned if body or speaker]


def _dialogue(payload: list[str]) -> bool:
    return len(payload) > 1 and all(_DASH.match(line) for line in payload)


def cue_turns(cues: Iterable[Cue], source: Path) -> TranscriptDraft:
    """Merge consecutive cues of one speaker into turns.

    Captioners often name the speaker only when it changes, so once a file has named
    anyone, an unnamed cue continues the current turn. In a file that names nobody,
    every cue stays a turn of its own; so does each unnamed line of a dash dialogue,
    since the dash says someone else speaks.
    """
    pieces = [(cue, *voice) for cue in cues for voice in cue_voices(cue.payload)]
    named = any(speaker is not None for _, speaker, _, _ in pieces)
    draft = TranscriptDraft()
    for cue, speaker, text, new_voice in pieces:
        last = draft.segments[-1] if draft.segments else None
        continues = speaker is None and named and last is not None and not new_voice
        if last is not None and (continues or (speaker is not None and last.speaker == speaker)):
            last.text = f"{last.text} {text}".strip()
            last.end_ms = max(last.end_ms or cue.end_ms, cue.end_ms)
            continue
        draft.segments.append(
            SegmentDraft(speaker, text, cue.line, start_ms=cue.start_ms, end_ms=cue.end_ms)
        )
    check_turns(draft, source)
    return draft


def teams_turns(lines: Sequence[Line], source: Path, unit: str = "line") -> TranscriptDraft:
    """Teams' transcript as Word shows it (and as it is pasted into text): a timing line,
    the speaker's name on the next line, the words after it; no blank lines needed."""
    body = [(n, text.strip()) for n, text in lines if text.strip()]
    unpadded = _file_is_unpadded(body)
    cues: list[Cue] = []
    for n, text in body:
        if TEAMS_TIMING.match(text):
            start, end = parse_timing(text, n, source, "0:0:1.250", unpadded_ms=unpadded)
            cues.append(Cue(n, start, end, []))
        elif cues and not cues[-1].payload:
            cues[-1].payload.append(f"<v {text}>")
        elif cues:
            cues[-1].payload.append(text)
    draft = cue_turns(cues, source)
    draft.layout = "teams"
    return draft


def looks_like_teams(lines: Sequence[Line]) -> bool:
    """Timing lines each followed by a short name line: Teams' layout, not text labels."""
    body = [text.strip() for _, text in lines if text.strip()]
    timings = [k for k, text in enumerate(body) if TEAMS_TIMING.match(text)]
    if len(timings) < 2:
        return False
    named = sum(
        1
        for k in timings
        if k + 1 < len(body)
        and ":" not in body[k + 1]
        and "<v" not in body[k + 1]
        and len(body[k + 1].split()) <= MAX_LABEL_WORDS
    )
    return named * 2 > len(timings)
