"""Reading property values as dates: YAML dates, date-times and ISO strings alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

DATE_FIELDS = ("created", "modified", "updated", "last_reviewed")


def as_date(value: Any) -> dt.date | None:
    """The calendar date a property value names, or None when it names none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return (
                dt.datetime.fromisoformat(text).date()
                if len(text) > 10
                else (dt.date.fromisoformat(text))
            )
        except ValueError:
            return None
    return None
