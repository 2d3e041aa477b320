"""Reading property values as dates: YAML dates, date-times and ISO strings alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

DATE_FIELDS = ("created", "modified", "updated", "last_reviewed")


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
        return found.replace(tzinfo=dt.UTC) if found.tzinfo is None else found.astimezone(dt.UTC)
    if isinstance(found, dt.date):
        return dt.datetime(found.year, found.month, found.day, tzinfo=dt.UTC)
    return None
