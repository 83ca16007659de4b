"""How big a transcript may be, so that a wrong file fails in one line instead of filling
memory or the database.

A three-hour focus group is about 200 KB of text and its longest turn a few thousand
characters; the limits leave a hundredfold margin and still stop a renamed video, a
database dump or a file with no line breaks at all.
"""

from __future__ import annotations

from pathlib import Path

from innostudy.errors import InputError

MAX_TRANSCRIPT_BYTES = 16 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000
TOO_BIG = "a transcript is at most that size: split the file into one per session"


def check_lines(lines: list[tuple[int, str]], source: Path) -> list[tuple[int, str]]:
    """The lines unchanged, or an error naming the first line too long to be a transcript's."""
    for number, text in lines:
        if len(text) > MAX_LINE_CHARS:
            raise InputError(
                source,
                number,
                None,
                f"is {len(text):,} characters long, more than any transcript line "
                f"({MAX_LINE_CHARS:,}); is this a transcript with line breaks?",
                unit="line",
            )
    return lines
