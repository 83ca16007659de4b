"""Transcript formats: one module per format, each with ``parse(path) -> TranscriptDraft``.

``auto`` picks the format from the file's suffix; a ``.txt`` file is read to tell a
plain labelled transcript from an Otter-style export.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from innostudy.errors import InputError
from innostudy.textfiles import read_text
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats import docx, notes, otter, plain, srt, webvtt
from innostudy.transcripts.formats.lines import looks_like_otter

Parser = Callable[[Path], TranscriptDraft]

PARSERS: dict[str, Parser] = {
    "txt": plain.parse,
    "docx": docx.parse,
    "vtt": webvtt.parse,
    "srt": srt.parse,
    "otter": otter.parse,
    "notes": notes.parse,
}
FORMAT_NAMES = ("auto", *PARSERS)

SUFFIXES = {
    ".txt": "txt",
    ".text": "txt",
    ".docx": "docx",
    ".vtt": "vtt",
    ".webvtt": "vtt",
    ".srt": "srt",
    ".md": "notes",
    ".markdown": "notes",
}


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
    if fmt == "txt" and looks_like_otter(read_text(path).text.split("\n")):
        return "otter"
    return fmt


def resolve_format(path: Path, fmt: str = "auto") -> str:
    """The format a file will be read as: the one asked for, or the detected one."""
    if fmt == "auto":
        return detect_format(path)
    if fmt not in PARSERS:
        raise InputError(
            path, None, None, f"unknown transcript format '{fmt}' (one of: {', '.join(PARSERS)})"
        )
    return fmt


def parse_transcript(path: Path, fmt: str = "auto") -> TranscriptDraft:
    if not path.is_file():
        raise InputError(path, None, None, "file not found" if not path.exists() else "not a file")
    return PARSERS[resolve_format(path, fmt)](path)
