"""Timestamps as transcripts write them, to and from milliseconds."""

from __future__ import annotations

import re

_TIME = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")
# Subtitle cue times as tools really write them: WebVTT's ``00:01:02.500`` and hour-less
# ``01:02.500``, SRT's comma, and Microsoft Teams' unpadded ``0:0:6.90`` (every field
# without leading zeros, the fraction included: 6.90 is 6 s and 90 ms).
_CUE_TIME = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$")


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


_ONE_DIGIT_FIELD = re.compile(r":\d(?!\d)")


def is_unpadded(text: str) -> bool:
    """A time with a one-digit minute or second field (``0:0:6.90``): Teams' way. Works on
    a whole timing line too (``0:0:6.90 --> 0:0:9.500``)."""
    return _ONE_DIGIT_FIELD.search(text) is not None


def parse_cue_time(text: str, *, unpadded_ms: bool = False) -> int | None:
    """A subtitle cue time → ms, else None.

    A fraction of fewer than three digits is a decimal fraction (``.5`` = 500 ms) in
    files that pad their fields, and a plain count of milliseconds in files that do not
    (``unpadded_ms``), since Teams writes 6 s 90 ms as ``0:0:6.90``. The caller decides
    once per file, from all of its times.
    """
    m = _CUE_TIME.match(text.strip())
    if m is None:
        return None
    hours, minutes, seconds, fraction = m.groups()
    if int(seconds) >= 60 or int(minutes) >= 60:
        return None
    digits = fraction or "0"
    ms = int(digits) if unpadded_ms else int(digits.ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def format_timecode(ms: int) -> str:
    seconds, _ = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def format_precise(ms: int, *, comma: bool = False) -> str:
    """``HH:MM:SS.mmm`` (``HH:MM:SS,mmm`` for SRT): the form subtitle files and JSON use."""
    return f"{format_timecode(ms)}{',' if comma else '.'}{ms % 1000:03d}"
