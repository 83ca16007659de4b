"""Timestamps as transcripts write them, to and from milliseconds."""

from __future__ import annotations

import re

_TIME = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")


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


def format_timecode(ms: int) -> str:
    seconds, _ = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"
