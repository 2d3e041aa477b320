"""When each note is due for review, and which notes are due as of a date.

A note is due one interval after its last review, or after its creation
when it was never reviewed. Its interval is its own `review_interval`, else
`review.intervals[type]`, else `review.default_interval` from kbtool.toml.
A note with neither `created` nor `last_reviewed` is not scheduled at all:
there is nothing to count from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kbtool.config import Config, ConfigError
from kbtool.notes.dates import as_date, shift
from kbtool.notes.intervals import Interval, IntervalError, parse_interval
from kbtool.notes.properties import is_empty

if TYPE_CHECKING:
    from kbtool.model import Note
    from kbtool.vault.load import Vault

Basis = Literal["last_reviewed", "created"]


@dataclass(frozen=True, slots=True)
class DueItem:
    """One scheduled note: when it is due and why (the base date plus the interval)."""

    path: str
    title: str
    basis: Basis  # which date the interval counts from
    base: dt.date  # the value of that date
    last_reviewed: dt.date | None
    interval: Interval
    due: dt.date
    today: dt.date

    @property
    def interval_days(self) -> int:
        """The interval in days as it applies to this note (months vary in length)."""
        return (self.due - self.base).days

    @property
    def overdue_days(self) -> int:
        """Days since the due date; negative when the review is still ahead."""
        return (self.today - self.due).days

    def reason(self) -> str:
        """Why the note is due when it is, for digests and calendar entries."""
        verb = "last reviewed" if self.basis == "last_reviewed" else "created"
        return f"{verb} {self.base.isoformat()} + interval {self.interval}"

    def status(self) -> str:
        """`26 days overdue`, `due today` or `due in 3 days`."""
        n = self.overdue_days
        if n == 0:
            return "due today"
        if n > 0:
            return f"{n} day{'s' if n != 1 else ''} overdue"
        return f"due in {-n} day{'s' if n != -1 else ''}"

    def to_json(self) -> dict[str, Any]:
        """The item as `review due --format json` prints it (the CLI contract)."""
        return {
            "path": self.path,
            "title": self.title,
            "last_reviewed": self.last_reviewed.isoformat() if self.last_reviewed else None,
            "interval_days": self.interval_days,
            "due": self.due.isoformat(),
            "overdue_days": self.overdue_days,
        }


@dataclass(frozen=True)
class ReviewPolicy:
    """The vault's review defaults, parsed once per run rather than once per note."""

    default: Interval
    by_type: dict[str, Interval]  # keys lower-cased

    @classmethod
    def from_config(cls, config: Config) -> ReviewPolicy:
        """Parse `[review]` of kbtool.toml; a bad interval there is a `ConfigError`."""
        review = config.settings.review
        where = str(config.path) if config.path else "kbtool.toml"
        try:
            default = parse_interval(review.default_interval)
        except IntervalError as exc:
            raise ConfigError(f"{where}: 'review.default_interval': {exc}") from exc
        by_type: dict[str, Interval] = {}
        for name, value in review.intervals.items():
            try:
                by_type[name.lower()] = parse_interval(value)
            except IntervalError as exc:
                raise ConfigError(f"{where}: 'review.intervals.{name}': {exc}") from exc
        return cls(default, by_type)

    def interval_for(self, note: Note) -> Interval:
        """The note's own interval, else its type's, else the vault default.

        An unreadable `review_interval` falls back too (KB111 reports it), so a
        typo never drops a note from the schedule.
        """
        meta = note.meta
        value = meta.get("review_interval")
        if not is_empty(value):
            try:
                return parse_interval(value)
            except IntervalError:
                pass
        kind = meta.get("type")
        if isinstance(kind, str) and kind.strip().lower() in self.by_type:
            return self.by_type[kind.strip().lower()]
        return self.default

    def schedule(self, note: Note, today: dt.date) -> DueItem | None:
        """The note's due item, or None when it has no date to count from."""
        meta = note.meta
        last = as_date(meta.get("last_reviewed"))
        basis: Basis = "last_reviewed"
        base = last
        if base is None:
            basis, base = "created", as_date(meta.get("created"))
        if base is None:
            return None
        interval = self.interval_for(note)
        return DueItem(
            note.path, note.title, basis, base, last, interval, interval.after(base), today
        )


def due_date(note: Note, config: Config) -> dt.date | None:
    """The date `note` is next due for review, or None when it is not scheduled."""
    item = ReviewPolicy.from_config(config).schedule(note, dt.date.min)
    return item.due if item else None


def scheduled(vault: Vault, today: dt.date) -> list[DueItem]:
    """Every scheduled note of the vault, sorted by due date then path."""
    policy = ReviewPolicy.from_config(vault.config)
    items = [item for note in vault.notes.values() if (item := policy.schedule(note, today))]
    items.sort(key=lambda item: (item.due, item.path))
    return items


def due_reviews(vault: Vault, today: dt.date, within: int = 0) -> list[DueItem]:
    """Notes due on or before `today + within` days, sorted by due date then path.

    Counted in days from `today`, so no date past the calendar's end is needed."""
    if within < 0:
        raise ValueError("within must be zero or more days")
    return [item for item in scheduled(vault, today) if -item.overdue_days <= within]


@dataclass(frozen=True, slots=True)
class AgendaBucket:
    """A group of the agenda: the overdue notes, or one ISO week."""

    label: str  # "overdue" or "2026-W48"
    start: dt.date | None  # Monday of the week (None for the overdue bucket)
    end: dt.date | None  # Sunday of the week
    items: tuple[DueItem, ...]


def agenda(vault: Vault, today: dt.date, weeks: int = 4) -> list[AgendaBucket]:
    """Overdue reviews, then `weeks` ISO weeks from the current one (empty weeks included)."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    monday = shift(today, days=-today.weekday())
    # the calendar ends on a Friday (9999-12-31): no week starts after its last Monday
    weeks = min(weeks, (dt.date.max - monday).days // 7 + 1)
    overdue: list[DueItem] = []
    by_week: list[list[DueItem]] = [[] for _ in range(weeks)]
    for item in scheduled(vault, today):
        if item.due < today:
            overdue.append(item)
        elif (offset := (item.due - monday).days) < 7 * weeks:
            by_week[offset // 7].append(item)
    buckets = [AgendaBucket("overdue", None, None, tuple(overdue))]
    for index, items in enumerate(by_week):
        start = shift(monday, days=7 * index)
        year, week, _ = start.isocalendar()
        buckets.append(
            AgendaBucket(f"{year}-W{week:02d}", start, shift(start, days=6), tuple(items))
        )
    return buckets
