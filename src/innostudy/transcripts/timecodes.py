"""Timestamps as transcripts write them, to and from milliseconds."""

from __future__ import annotations

import re

_TIME = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")
# Subtitle cue times always carry milliseconds; hours are optional in WebVTT and may have
# one digit in Teams exports (0:00:03.450). SRT writes a comma, WebVTT a full stop.
_CUE_TIME = re.compile(r"^(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)[.,](\d{3})$")


def parse_timecode(text: str) -> int | None:
    """``01:02:03``, ``02:03``, ``00:01:02.500`` or ``00:01:02,500`` → ms; None if not a time."""
    m = _TIME.match(text.strip())
    if m is None:
        return None
    hours, minutes, seconds, fraction = m.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    ms = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def parse_cue_time(text: str) -> int | None:
    """A subtitle cue time (``00:01:02.500``, ``01:02.500``, ``0:01:02,500``) → ms, else None."""
    m = _CUE_TIME.match(text.strip())
    if m is None:
        return None
    hours, minutes, seconds, ms = m.groups()
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(ms)


def format_timecode(ms: int) -> str:
    seconds, _ = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def format_precise(ms: int, *, comma: bool = False) -> str:
    """``HH:MM:SS.mmm`` (``HH:MM:SS,mmm`` for SRT): the form subtitle files and JSON use."""
    return f"{format_timecode(ms)}{',' if comma else '.'}{ms % 1000:03d}"
