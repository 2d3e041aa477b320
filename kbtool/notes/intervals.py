"""`review_interval` values: a whole number of days, `30d`, `6w`, `3m`, `1y` or ISO `P30D`.

Months and years are calendar months and years (`3m` after 2026-01-31 is
2026-04-30), so an interval is kept as (amount, unit) and only turned into
days against a start date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from kbtool.errors import KbtoolError
from kbtool.notes.dates import shift

Unit = Literal["d", "w", "m", "y"]

_SHORT = re.compile(r"(?P<n>\d+)\s*(?P<unit>[dwmy])?", re.IGNORECASE)
_ISO = re.compile(
    r"P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?", re.IGNORECASE
)


class IntervalError(KbtoolError, ValueError):
    """Not a positive review interval; the message says what forms are accepted."""


@dataclass(frozen=True, slots=True)
class Interval:
    amount: int
    unit: Unit

    def after(self, start: dt.date) -> dt.date:
        """The date one interval after `start`, 9999-12-31 at the latest (see `dates.shift`)."""
        if self.unit in ("d", "w"):
            return shift(start, days=self.amount * (7 if self.unit == "w" else 1))
        return shift(start, months=self.amount * (12 if self.unit == "y" else 1))

    def days_from(self, start: dt.date) -> int:
        return (self.after(start) - start).days

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


FORMS = "a whole number of days, 30d, 6w, 3m, 1y or ISO 8601 such as P30D"


def parse_interval(value: object) -> Interval:
    """Read a `review_interval` value; raise `IntervalError` when it is not a positive duration."""
    if isinstance(value, bool):
        raise IntervalError(f"{value!r} is not a duration; expected {FORMS}")
    if isinstance(value, int):
        if value <= 0:
            raise IntervalError(f"{value} is not a positive number of days")
        return Interval(value, "d")
    if not isinstance(value, str):
        raise IntervalError(f"{value!r} is not a duration; expected {FORMS}")
    text = value.strip()
    if m := _SHORT.fullmatch(text):
        amount = int(m.group("n"))
        if amount <= 0:
            raise IntervalError(f"'{value}' is not a positive duration")
        return Interval(amount, (m.group("unit") or "d").lower())  # type: ignore[arg-type]
    if (m := _ISO.fullmatch(text)) and any(m.groupdict().values()):
        parts = {k: int(v) for k, v in m.groupdict().items() if v is not None}
        if sum(parts.values()) <= 0:
            raise IntervalError(f"'{value}' is not a positive duration")
        if len(parts) == 1:
            unit, amount = next(iter(parts.items()))
            return Interval(amount, unit)  # type: ignore[arg-type]
        days = parts.get("d", 0) + 7 * parts.get("w", 0)
        if "y" in parts or "m" in parts:
            raise IntervalError(f"'{value}': combine years or months with nothing else")
        return Interval(days, "d")
    raise IntervalError(f"'{value}' is not a duration; expected {FORMS}")
