"""Dates and times as survey tools and spreadsheets write them, read the same way everywhere.

Accepted: ISO (``2024-03-25``, ``2024-03-25T10:11:12.000-04:00``), numbers with ``/``,
``.`` or ``-`` between them, day or month first, with 2- or 4-digit years
(``25/03/2024``, ``3/25/24 9:05 PM``), year first (``2024/03/25``, SPSS SDATE), month
names (``25-Mar-2024``, SPSS DATE; ``Mar 25, 2024``), Excel serial day numbers
(``45376``) and SPSS's own seconds since 1582 (``13930704000``). Two-digit years are
1969–2068, as Python's ``%y`` reads them.

Whether ``03/04/2024`` is the 3rd of April or the 4th of March is never decided per
row: ``DateOrder`` collects what a whole column allows (one ``25/03`` settles it) and
refuses a column that stays ambiguous, naming ``--date-format``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import Enum

from innostudy.errors import InputError

DMY = "dmy"
MDY = "mdy"

_NUMERIC = re.compile(
    r"(?P<a>[0-9]{1,4})(?P<sep>[/.\-])(?P<b>[0-9]{1,2})(?P=sep)(?P<c>[0-9]{1,4})"
    r"(?:[ T,]+(?P<time>.+))?"
)
_MONTHS = {
    m: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_DAY_NAME = re.compile(r"(?P<d>[0-9]{1,2})[ \-/.](?P<m>[A-Za-z]{3,9})\.?[ \-/.,]*(?P<y>[0-9]{2,4})")
_NAME_DAY = re.compile(r"(?P<m>[A-Za-z]{3,9})\.? (?P<d>[0-9]{1,2}),? (?P<y>[0-9]{2,4})")
_NAMED = re.compile(r"(?P<date>.+?)(?:(?: |T|, ?)(?P<time>[0-9]{1,2}:[0-9]{2}.*))?")
_TIME = re.compile(
    r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+\-][0-9]{2}(?::?[0-9]{2})?)?"
)
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)
SERIAL_RANGE = (10_000, 100_000)  # 1927 to 2173: a five-digit number in a date column
# SPSS keeps a date as seconds since 14 October 1582; a .sav read without its formats (or
# a CSV written from one) shows them as such: 13744944000.0 is 6 May 2018.
_SPSS_SECONDS = re.compile(r"[0-9]{11}(?:\.0+)?")
_SPSS_EPOCH = datetime(1582, 10, 14)
SPSS_RANGE = (10_000_000_000, 20_000_000_000)  # 1899 to 2216


class Shape(Enum):
    """How a value is written, as far as the order of day and month goes."""

    SETTLED = "settled"  # ISO, year first, month names, serial numbers
    EITHER = "either"  # day and month both 12 or less, and different
    SAME = "same"  # day and month equal: either order reads the same date
    DAY_FIRST = "day first"  # only day-first makes a date
    MONTH_FIRST = "month first"  # only month-first makes a date
    NEITHER = "neither"  # not a date in any order


def year_of(text: str) -> int:
    y = int(text)
    if len(text) <= 2:
        return 2000 + y if y < 69 else 1900 + y
    return y


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def shape(text: str) -> Shape:
    """What ``text`` says about the order of day and month (see ``DateOrder``)."""
    t = text.strip()
    found = _NUMERIC.fullmatch(t)
    if found is None:
        return Shape.SETTLED if parse_date(t, None) is not None else Shape.NEITHER
    a, b, c = found["a"], found["b"], found["c"]
    if len(a) == 4:
        return Shape.SETTLED if _valid(int(a), int(b), int(c)) else Shape.NEITHER
    if len(c) not in (2, 4):
        return Shape.NEITHER
    y = year_of(c)
    as_dmy = _valid(y, int(b), int(a))
    as_mdy = _valid(y, int(a), int(b))
    if as_dmy and as_mdy:
        return Shape.SAME if int(a) == int(b) else Shape.EITHER
    if as_dmy:
        return Shape.DAY_FIRST
    if as_mdy:
        return Shape.MONTH_FIRST
    return Shape.NEITHER


@dataclass
class DateOrder:
    """What the values of one column allow: day first, month first, either, or neither.

    ``see`` every value, then ``order`` says ``DMY``, ``MDY``, or None when the column
    holds no value whose order matters; ``example`` keeps a value that would be read
    differently in the two orders, for the error message.
    """

    day_first: bool = True
    month_first: bool = True
    example: str = ""
    day_example: str = ""
    month_example: str = ""
    matters: bool = False
    row: int | None = None  # where the example is, for the message

    def see(self, text: str, row: int | None = None) -> None:
        s = shape(text)
        if s is Shape.EITHER:
            self.matters = True
            if not self.example:
                self.example, self.row = text.strip(), row
        elif s is Shape.DAY_FIRST:
            self.matters, self.month_first = True, False
            self.day_example = self.day_example or text.strip()
        elif s is Shape.MONTH_FIRST:
            self.matters, self.day_first = True, False
            if not self.month_example:
                self.month_example, self.row = text.strip(), row

    @property
    def ambiguous(self) -> bool:
        return self.matters and self.day_first and self.month_first and bool(self.example)

    @property
    def order(self) -> str | None:
        if not self.matters or self.ambiguous:
            return None
        if self.day_first and not self.month_first:
            return DMY
        if self.month_first and not self.day_first:
            return MDY
        return None  # values that fit neither order: each is refused on its own row


def order_from_format(fmt: str) -> str | None:
    """``%d/%m/%Y`` → day first; ``%m/%d/%y`` → month first; None if it says neither."""
    day, month = fmt.find("%d"), fmt.find("%m")
    if day < 0:
        day = fmt.find("%-d")
    if month < 0:
        month = fmt.find("%-m")
    if day < 0 or month < 0 or ("%Y" not in fmt and "%y" not in fmt):
        return None
    return DMY if day < month else MDY


def parse_date(text: str, order: str | None) -> date | None:
    """The date in ``text`` (times after it are ignored), or None.

    ``order`` settles numeric day/month values; without it they are read only when
    day and month are equal (either order then reads the same date).
    """
    t = text.strip()
    if not t:
        return None
    if len(t) >= 10 and t[4] == "-" and t[:4].isdigit() and t[7:8] == "-":
        try:
            return date.fromisoformat(t[:10])
        except ValueError:
            return None
    found = _NUMERIC.fullmatch(t)
    if found is not None:
        return _numeric_date(found, order)
    named = _named(t)
    if named is not None:
        return named[0]
    if _SERIAL.fullmatch(t):
        serial = float(t)
        if SERIAL_RANGE[0] <= serial < SERIAL_RANGE[1]:
            return (_EXCEL_EPOCH + timedelta(days=int(serial))).date()
    if _SPSS_SECONDS.fullmatch(t):
        seconds = float(t)
        if SPSS_RANGE[0] <= seconds < SPSS_RANGE[1]:
            return (_SPSS_EPOCH + timedelta(seconds=seconds)).date()
    return None


def _numeric_date(found: re.Match[str], order: str | None) -> date | None:
    a, b, c = found["a"], found["b"], found["c"]
    try:
        if len(a) == 4:
            return date(int(a), int(b), int(c))
        if len(c) not in (2, 4) or len(a) > 2:
            return None
        y = year_of(c)
        if order == DMY or (order is None and int(a) == int(b)):
            return date(y, int(b), int(a))
        if order == MDY:
            return date(y, int(a), int(b))
    except ValueError:
        return None
    return None


def _named(t: str) -> tuple[date, str] | None:
    """Dates with a month name, and whatever follows them (a time)."""
    whole = _NAMED.fullmatch(t)
    if whole is None:
        return None
    part = whole["date"].strip()
    found = _DAY_NAME.fullmatch(part) or _NAME_DAY.fullmatch(part)
    if found is None:
        return None
    month = _MONTHS.get(found["m"].casefold())
    if month is None:
        return None
    try:
        return date(year_of(found["y"]), month, int(found["d"])), whole["time"] or ""
    except ValueError:
        return None


def _time_part(t: str) -> tuple[time, tzinfo | None] | None:
    found = _TIME.fullmatch(t.strip())
    if found is None:
        return None
    hour, minute = int(found["h"]), int(found["m"])
    second = int(found["s"] or 0)
    micro = int((found["f"] or "0")[:6].ljust(6, "0"))
    ampm = (found["ampm"] or "").replace(".", "").casefold()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    zone: tzinfo | None = None
    tz = found["tz"]
    if tz in ("Z", "UTC", "GMT"):
        zone = UTC
    elif tz:
        digits = tz[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        zone = _fixed(-offset if tz[0] == "-" else offset)
    try:
        return time(hour, minute, second, micro), zone
    except ValueError:
        return None


def _fixed(offset: timedelta) -> tzinfo:
    from datetime import timezone

    return timezone(offset)


def parse_moment(text: str, order: str | None, zone: tzinfo) -> datetime | None:
    """A date with an optional time as an aware UTC datetime; ``zone`` when it names none.

    Returns None for text that is not a date and time. A date without a time is
    midnight in ``zone``.
    """
    t = text.strip()
    if not t:
        return None
    moment = _iso_moment(t)
    if moment is None:
        moment = _other_moment(t, order)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _iso_moment(t: str) -> datetime | None:
    if len(t) < 10 or t[4] != "-" or not t[:4].isdigit():
        return None
    try:
        return datetime.fromisoformat(t.replace(" UTC", "Z"))
    except ValueError:
        day = parse_date(t[:10], None)
        rest = t[10:].lstrip(" T")
        clock = _time_part(rest) if rest else (time(), None)
        if day is None or clock is None:
            return None
        return datetime.combine(day, clock[0], clock[1])


def _other_moment(t: str, order: str | None) -> datetime | None:
    found = _NUMERIC.fullmatch(t)
    rest = ""
    day: date | None
    if found is not None:
        day, rest = _numeric_date(found, order), found["time"] or ""
    else:
        named = _named(t)
        if named is not None:
            day, rest = named
        else:
            day = parse_date(t, order)  # a serial number, perhaps with a fraction of a day
            if day is not None and _SERIAL.fullmatch(t):
                fraction = float(t) - int(float(t))
                return datetime.combine(day, time()) + timedelta(days=fraction)
            if day is not None and _SPSS_SECONDS.fullmatch(t):
                return _SPSS_EPOCH + timedelta(seconds=float(t))
            return None
    if day is None:
        return None
    clock = _time_part(rest) if rest else (time(), None)
    if clock is None:
        return None
    return datetime.combine(day, clock[0], clock[1])


Scan = Callable[[list[int]], dict[int, DateOrder]]


class ColumnDates:
    """The order of day and month in each date column of one file, decided once per column.

    ``--date-format`` (``given``) decides for every column. Otherwise a column is looked
    at as a whole the first time one of its values needs the order (``03/04/2024``):
    ``scan`` reads every value of every date column of the file, once.
    """

    def __init__(
        self, file: str, names: list[str], columns: list[int], scan: Scan, given: str | None
    ) -> None:
        self.file = file
        self.names = names
        self.columns = columns
        self.scan = scan
        self.given = given
        self.decided: dict[int, DateOrder] | None = None

    def order(self, column: int, text: str) -> str | None:
        if self.given is not None:
            return self.given
        if self.decided is None:
            if shape(text) not in (Shape.EITHER, Shape.DAY_FIRST, Shape.MONTH_FIRST):
                return None  # the order does not change how this value reads
            self.decided = self.scan(sorted({*self.columns, column}))
        found = self.decided.get(column)
        if found is None:
            return None
        if found.ambiguous:
            raise InputError(
                self.file,
                found.row,
                self.names[column],
                f"dates such as '{found.example}' could be day first or month first, and no "
                "date in the column settles it; say which with --date-format "
                "(e.g. --date-format %d/%m/%Y)",
            )
        if found.matters and not found.day_first and not found.month_first:
            raise InputError(
                self.file,
                found.row,
                self.names[column],
                f"the column mixes day-first ('{found.day_example}') and month-first "
                f"('{found.month_example}') dates; correct the file, or read every date one "
                "way with --date-format (e.g. --date-format %d/%m/%Y)",
            )
        return found.order
