"""The respondent's own times in a row: started, submitted, recorded by the survey tool.

Times that carry an offset or ``Z`` are exact. Times without one are read in the zone
the file states for the column (Qualtrics writes it in its ImportId row), else in the
import's zone (``--timezone``, default the computer's). Stored as UTC. Markers a tool
writes for "no time" (REDCap's ``[not completed]``) count as empty.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from innostudy.errors import InputError
from innostudy.survey.importing.dates import ColumnDates, parse_moment
from innostudy.survey.importing.plan import RECEIVED, STARTED, SUBMITTED, ColumnPlan

# What tools write for "no time": REDCap's survey timestamps of unfinished forms, R and
# pandas missing values, and LimeSurvey's 1980-01-01 placeholder (a completed response
# of a survey that does not keep dates).
NO_TIME = frozenset(
    {
        "[not completed]",
        "not completed",
        "none",
        "null",
        "nat",
        "na",
        "1980-01-01 00:00:00",
        "1980-01-01 00:00",
    }
)


class Times(NamedTuple):
    started: datetime | None
    submitted: datetime | None
    received: datetime | None


class BadTime(NamedTuple):
    column: str
    field: str
    value: str


def zone_named(name: str, source: str = "--timezone") -> tzinfo:
    """A time zone by its IANA name (``Europe/London``), or UTC for ``Z``/``UTC``."""
    if name.strip().upper() in ("Z", "UTC", "GMT"):
        return UTC
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            source, None, None, f"'{name}' is not a time zone (use a name like Europe/London)"
        ) from None


def local_zone() -> tuple[tzinfo, str]:
    """This computer's time zone and its name: $TZ, else /etc/localtime, else UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        link = Path("/etc/localtime")
        target = str(link.resolve()) if link.is_symlink() else ""
        name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
    try:
        return (ZoneInfo(name), name) if name else (UTC, "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC, "UTC"


class TimeReader:
    """Reads a row's Times, or says which cell is not a time."""

    def __init__(self, plan: ColumnPlan, dates: ColumnDates, zone: tzinfo) -> None:
        self.plan = plan
        self.dates = dates
        self.slots: list[list[tuple[int, tzinfo]]] = []
        for role in (STARTED, SUBMITTED, RECEIVED):
            columns = [plan.roles[role]] if role in plan.roles else []
            columns += plan.more_times.get(role, [])
            self.slots.append([(i, self._zone(i, zone)) for i in columns])
        self.active = any(self.slots)
        # does any time column rely on the import's zone rather than one the file names?
        self.defaulted = any(i not in plan.zones for slot in self.slots for i, _ in slot)

    def _zone(self, column: int, default: tzinfo) -> tzinfo:
        name = self.plan.zones.get(column)
        if not name:
            return default
        try:
            return zone_named(name)
        except InputError:
            return default  # a zone the file names but this computer does not know

    def columns(self) -> list[int]:
        return [i for slot in self.slots for i, _ in slot]

    def read(self, cells: Sequence[str]) -> Times | BadTime:
        found: list[datetime | None] = []
        for role, slot in zip((STARTED, SUBMITTED, RECEIVED), self.slots, strict=True):
            latest: datetime | None = None
            for i, zone in slot:
                text = cells[i].strip()
                if not text or text.casefold() in NO_TIME or text in self.plan.missing:
                    continue
                moment = parse_moment(text, self.dates.order(i, text), zone)
                if moment is None:
                    return BadTime(self.plan.columns[i], role, text)
                latest = moment if latest is None or moment > latest else latest
            found.append(latest)
        return Times(*found)
