"""Transcript formats: one module per format, each with ``parse(path) -> TranscriptDraft``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from innostudy.errors import InputError
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats import plain

Parser = Callable[[Path], TranscriptDraft]

PARSERS: dict[str, Parser] = {
    "txt": plain.parse,
}

SUFFIXES = {".txt": "txt"}


def detect_format(path: Path) -> str:
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(SUFFIXES))
        raise InputError(
            path,
            None,
            None,
            f"cannot tell the transcript format from '{path.suffix}' (known: {known}); "
            "pass --format",
        )
    return fmt


def parse_transcript(path: Path, fmt: str = "auto") -> TranscriptDraft:
    name = detect_format(path) if fmt == "auto" else fmt
    if name not in PARSERS:
        raise InputError(
            path, None, None, f"unknown transcript format '{name}' (one of: {', '.join(PARSERS)})"
        )
    return PARSERS[name](path)
