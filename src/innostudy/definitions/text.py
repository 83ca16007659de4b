"""A definition as text: the body stored in the database and the stamp its file carries.

A folder's file is the body plus a stamp at its end that says which revision it shows::

    # innostudy: group_types revision 3 (sha256 1a2b3c4d5e6f) from the study database.
    # innostudy: edit, then `innostudy definitions import group_types.yaml` makes it the study's.

The stamp goes last so that line numbers in the file and in the stored body agree (an
error found in revision 3 names a line the person can find in the file). Stamp lines are
YAML comments, so the file parses with or without them, and they are never stored.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from innostudy.textfiles import normalise_newlines

PREFIX = "# innostudy: "
_STAMP = re.compile(
    r"^# innostudy: (?P<name>[a-z_]+) revision (?P<number>\d+) \(sha256 (?P<sha>[0-9a-f]{12})\)"
)


@dataclass(frozen=True)
class Stamp:
    name: str
    number: int
    sha: str  # the first 12 hex digits of the revision's sha256


def body_of(text: str) -> str:
    """The text without stamp lines, with LF line ends and exactly one final newline."""
    lines = [line for line in normalise_newlines(text).split("\n") if not line.startswith(PREFIX)]
    return "\n".join(lines).rstrip() + "\n"


def sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def stamp_of(text: str) -> Stamp | None:
    for line in normalise_newlines(text).split("\n"):
        found = _STAMP.match(line)
        if found:
            return Stamp(found["name"], int(found["number"]), found["sha"])
    return None


def stamped(body: str, name: str, number: int, relative_path: str) -> str:
    """The file's text: the body, then the stamp naming its revision."""
    first = f"{name} revision {number} (sha256 {sha256(body)[:12]}) from the study database."
    then = f"edit, then `innostudy definitions import {relative_path}` makes it the study's."
    return f"{body}{PREFIX}{first}\n{PREFIX}{then}\n"
