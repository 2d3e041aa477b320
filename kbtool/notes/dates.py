"""Reading property values as dates, and date arithmetic that stays inside the calendar.

Python's dates end at 9999-12-31 and begin at 0001-01-01; a note can name
either end (`created: 9999-12-31`) and an interval can be any size
(`review_interval: 3000000`), so every date computation goes through
`shift`, which holds the result at the ends instead of raising
`OverflowError`. Comparisons against a horizon are made on day counts, not
on computed dates, so they never need a date past the end.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

DATE_FIELDS = ("created", "modified", "updated", "last_reviewed")
_FIRST_DAY, _LAST_DAY = dt.date.min.toordinal(), dt.date.max.toordinal()
_FIRST_INSTANT = dt.datetime.min.replace(tzinfo=dt.UTC)
_LAST_INSTANT = dt.datetime.max.replace(tzinfo=dt.UTC)


def shift(day: dt.date, *, days: int = 0, months: int = 0) -> dt.date:
    """`day` plus `months` calendar months, then plus `days` days, held at 0001-01-01 and
    9999-12-31 (a month end is kept: 2026-01-31 plus one month is 2026-02-28).

    Any size of int is accepted: a review interval comes from a note."""
    if months:
        index = day.year * 12 + day.month - 1 + months
        year, month = divmod(index, 12)
        if year > dt.MAXYEAR:
            return dt.date.max
        if year < dt.MINYEAR:
            return dt.date.min
        month += 1
        day = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return dt.date.fromordinal(min(max(day.toordinal() + days, _FIRST_DAY), _LAST_DAY))


def instant_from_ns(ns: int) -> dt.datetime:
    """A file time in nanoseconds since the epoch as a UTC date-time, held inside the calendar
    (a file system can store an mtime in the year 30000)."""
    try:
        return dt.datetime.fromtimestamp(ns / 1e9, dt.UTC)
    except (OverflowError, ValueError, OSError):
        return _LAST_INSTANT if ns > 0 else _FIRST_INSTANT


def _value(value: Any) -> Any:
    """A YAML date or date-time as is; an ISO 8601 string read as one; else None."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return (
                dt.datetime.fromisoformat(text) if len(text) > 10 else dt.date.fromisoformat(text)
            )
        except ValueError:
            return None
    return None


def as_date(value: Any) -> dt.date | None:
    """The calendar date a property value names, or None when it names none."""
    found = _value(value)
    return found.date() if isinstance(found, dt.datetime) else found


def as_instant(value: Any) -> dt.datetime | None:
    """A property value as an aware UTC date-time (a date is its midnight UTC); else None."""
    found = _value(value)
    if isinstance(found, dt.datetime):
        if found.tzinfo is None:
            return found.replace(tzinfo=dt.UTC)
        try:
            return found.astimezone(dt.UTC)
        except OverflowError:  # 9999-12-31T23:00-05:00 is in the year 10000 in UTC
            return _LAST_INSTANT if found.year == dt.MAXYEAR else _FIRST_INSTANT
    if isinstance(found, dt.date):
        return dt.datetime(found.year, found.month, found.day, tzinfo=dt.UTC)
    return None
