"""The delimiter of a CSV-like file, recognised from its first record.

Spreadsheets save "CSV" with a comma, or a semicolon where the comma is the decimal
mark (much of Europe), and other tools write tabs or bars. The candidate that splits the
first record most often, outside quoted values, wins; a one-column file is a comma file.
Every reader of delimited text asks here, so a sheet that imports as contacts imports
as responses too.
"""

from __future__ import annotations

DELIMITERS = (",", ";", "\t", "|")


def detect_delimiter(text: str) -> str:
    """The delimiter of the record that starts ``text`` (only that record is read)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text.lstrip("\ufeff"):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            break
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
