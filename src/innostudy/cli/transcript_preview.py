"""The text of ``transcripts import --dry-run``: layout, speakers, first turns, next step."""

from __future__ import annotations

import shlex
from pathlib import Path

from innostudy.transcripts.formats.layouts import describe
from innostudy.transcripts.preview import Preview
from innostudy.transcripts.timecodes import format_timecode
from innostudy.transcripts.writing import Turn, render_turns

_SHOWN = 100  # characters of each first turn


def _time(ms: int | None) -> str:
    return format_timecode(ms) if ms is not None else "-"


def _cut(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1].rstrip() + "…"


def preview_lines(p: Preview, file: Path) -> list[str]:
    span = f", {_time(p.first_ms)} to {_time(p.last_ms)}" if p.first_ms is not None else ""
    out = [
        f"Dry run of {file}: nothing is stored.",
        f"Layout: {describe(p.layout)}",
        f"{p.turns} turns, {len(p.speakers)} speakers, {p.words:,} words{span}"
        + ("" if p.verbatim else " (notes: not verbatim, never quoted)"),
    ]
    out += [f"Note: {note}" for note in p.notes]
    if p.speakers:
        width = max(len(s.label) for s in p.speakers)
        out.append(f"  {'SPEAKER'.ljust(width)}  TURNS   WORDS  WOULD BE")
        out += [
            f"  {s.label.ljust(width)}  {s.turns:5d}  {s.words:6,d}  {s.maps_to} ({s.how})"
            for s in p.speakers
        ]
    if p.unlabelled:
        out.append(f"  {p.unlabelled} turns have no speaker label")
    out.append("First turns (as they would be stored, names redacted):")
    turns = [Turn(s.speaker, _cut(s.text), s.start_ms) for s in p.first_turns]
    out += [f"  {line}" for line in render_turns(turns).text.splitlines() if line.strip()]
    unmapped = [s.label for s in p.speakers if s.maps_to == "unknown"]
    if unmapped:
        pairs = ",".join(f"{label}=CODE" for label in unmapped)
        out.append(
            f"To map speakers in the same step: innostudy transcripts import "
            f"{shlex.quote(str(file))} --speakers {shlex.quote(pairs)}"
        )
    return out
