"""Submissions over time, counted in bins whose width follows the span they cover.

A pilot's responses arrive within minutes, a real survey's over weeks or months: one
fixed scale would show either a single bar or hundreds. The bin is the smallest of
minute, 5 and 15 minutes, hour, 6 hours, day, week (from Monday), month and year that
gives at most ``MAX_BINS`` bins; bins start on the unit's boundary in UTC, so a day is a
calendar day and a month a calendar month. Pure functions over datetimes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_BINS = 60


def _floor_step(step: timedelta) -> Callable[[datetime], datetime]:
    def floor(t: datetime) -> datetime:
        day = t.replace(hour=0, minute=0, second=0, microsecond=0)
        return day + step * ((t - day) // step)

    return floor


def _week(t: datetime) -> datetime:
    day = t.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def _month(t: datetime) -> datetime:
    return t.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _year(t: datetime) -> datetime:
    return _month(t).replace(month=1)


def _next_month(t: datetime) -> datetime:
    return t.replace(year=t.year + 1, month=1) if t.month == 12 else t.replace(month=t.month + 1)


@dataclass(frozen=True)
class Unit:
    """One bin width: how to find a bin's start and the next one, and how to name it."""

    noun: str  # "Submissions per <noun>"
    floor: Callable[[datetime], datetime]
    next: Callable[[datetime], datetime]
    short: str  # strftime-like pattern for axis labels (see _label)
    long: str  # for the table


def _every(minutes: int, noun: str, short: str, long: str) -> Unit:
    step = timedelta(minutes=minutes)
    return Unit(noun, _floor_step(step), lambda t: t + step, short, long)


UNITS = (
    _every(1, "minute", "time", "minute"),
    _every(5, "5 minutes", "time", "minutes"),
    _every(15, "15 minutes", "time", "minutes"),
    _every(60, "hour", "hour", "hour"),
    _every(360, "6 hours", "hour", "hours"),
    Unit("day", _floor_step(timedelta(days=1)), lambda t: t + timedelta(days=1), "day", "day"),
    Unit("week", _week, lambda t: t + timedelta(days=7), "week", "week"),
    Unit("month", _month, _next_month, "month", "month"),
    Unit("year", _year, lambda t: t.replace(year=t.year + 1), "year", "year"),
)


@dataclass(frozen=True)
class Bin:
    start: datetime
    end: datetime
    count: int
    total: int  # submissions up to the end of this bin
    label: str  # short, for the chart's axis
    period: str  # in full, for the table


@dataclass(frozen=True)
class Timeline:
    unit: Unit
    bins: list[Bin]

    @property
    def heading(self) -> str:
        return f"Submissions per {self.unit.noun}"

    @property
    def total(self) -> int:
        return self.bins[-1].total if self.bins else 0


def _starts(unit: Unit, first: datetime, last: datetime, limit: int) -> list[datetime] | None:
    starts = [unit.floor(first)]
    while unit.next(starts[-1]) <= last:
        starts.append(unit.next(starts[-1]))
        if len(starts) > limit:
            return None
    return starts


def timeline(times: Sequence[datetime], *, max_bins: int = MAX_BINS) -> Timeline:
    """Counts per bin from the first submission's bin to the last's (empty bins included)."""
    moments = sorted(t.astimezone(UTC) for t in times)
    if not moments:
        return Timeline(UNITS[0], [])
    first, last = moments[0], moments[-1]
    for unit in UNITS:
        starts = _starts(unit, first, last, max_bins)
        if starts is not None:
            break
    else:  # more years than bins: years, however many
        unit = UNITS[-1]
        starts = _starts(unit, first, last, len(moments) + 10_000) or []
    several_days = first.date() != last.date()
    several_years = first.year != last.year
    bins: list[Bin] = []
    i = total = 0
    for start in starts:
        end = unit.next(start)
        count = 0
        while i < len(moments) and moments[i] < end:
            count, i = count + 1, i + 1
        total += count
        bins.append(
            Bin(
                start,
                end,
                count,
                total,
                _label(unit.short, start, several_days, several_years),
                _period(unit.long, start, end),
            )
        )
    return Timeline(unit, bins)


def _day(t: datetime, year: bool) -> str:
    return f"{t.day} {t:%b}" + (f" {t.year}" if year else "")


def _label(kind: str, t: datetime, several_days: bool, several_years: bool) -> str:
    if kind == "time":
        return f"{_day(t, several_years)} {t:%H:%M}" if several_days else f"{t:%H:%M}"
    if kind == "hour":
        return f"{_day(t, several_years)} {t:%H:%M}"
    if kind == "day":
        return _day(t, several_years)
    if kind == "week":
        return "w/c " + _day(t, several_years)
    if kind == "month":
        return f"{t:%b %Y}"
    return str(t.year)


def _period(kind: str, start: datetime, end: datetime) -> str:
    if kind in ("minute", "minutes", "hour", "hours"):
        return f"{_day(start, True)}, {start:%H:%M}–{end:%H:%M} UTC"
    if kind == "day":
        return f"{start:%a} {_day(start, True)}"
    if kind == "week":
        return f"Week of {start:%a} {_day(start, True)}"
    if kind == "month":
        return f"{start:%B %Y}"
    return str(start.year)


__all__ = ["MAX_BINS", "Bin", "Timeline", "timeline"]
