"""Transcript formats: one module per kind of file, each ``parse(path, layout) -> TranscriptDraft``.

The format is the kind of file (from its suffix, or ``--format``); the layout is how its
turns are marked, decided from the whole file (``evidence.py``) or named with
``--layout`` or ``--speaker-pattern``. Subtitle files have no layouts: their cues are
their layout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from innostudy.errors import InputError
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats import docx, markdown, notes, srt, text, webvtt
from innostudy.transcripts.formats.layouts import OTTER, Layout, layout_named, pattern_layout
from innostudy.transcripts.labels import label_warnings

Parser = Callable[[Path, Layout | None], TranscriptDraft]


def _otter(path: Path, layout: Layout | None) -> TranscriptDraft:
    return text.parse(path, layout or OTTER)


def _vtt(path: Path, layout: Layout | None) -> TranscriptDraft:
    return webvtt.parse(path)


def _srt(path: Path, layout: Layout | None) -> TranscriptDraft:
    return srt.parse(path)


PARSERS: dict[str, Parser] = {
    "txt": text.parse,
    "md": markdown.parse,
    "docx": docx.parse,
    "vtt": _vtt,
    "srt": _srt,
    "otter": _otter,
    "notes": notes.parse,
}
FORMAT_NAMES = ("auto", *PARSERS)
_CUE_FORMATS = {"vtt", "srt"}

SUFFIXES = {
    ".txt": "txt",
    ".text": "txt",
    ".docx": "docx",
    ".vtt": "vtt",
    ".webvtt": "vtt",
    ".srt": "srt",
    ".md": "md",
    ".markdown": "md",
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


def choose(layout: str | None = None, pattern: str | None = None) -> Layout | None:
    """The layout a user asked for, by name or as a pattern; None: decide from the file."""
    if layout and pattern:
        raise InputError("--layout", None, None, "give --layout or --speaker-pattern, not both")
    if pattern:
        return pattern_layout(pattern)
    return layout_named(layout) if layout else None


def parse_transcript(
    path: Path, fmt: str = "auto", *, layout: str | None = None, pattern: str | None = None
) -> TranscriptDraft:
    if not path.is_file():
        raise InputError(path, None, None, "file not found" if not path.exists() else "not a file")
    name = resolve_format(path, fmt)
    wanted = choose(layout, pattern)
    if wanted is not None and name in _CUE_FORMATS:
        raise InputError(
            path,
            None,
            None,
            "subtitle cues have no layout to choose; --layout and "
            "--speaker-pattern apply to text, Markdown and Word files",
        )
    draft = PARSERS[name](path, wanted)
    draft.warnings += label_warnings(draft, "paragraph" if name == "docx" else "line")
    return draft
