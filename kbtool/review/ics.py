"""The review calendar (RFC 5545): one all-day entry per scheduled note, at its due date.

Calendar apps that subscribe to the file update entries by UID, so a UID
depends only on the note's path: a rescheduled review moves, it is not
duplicated. DTSTAMP comes from `today`, so the same vault on the same day
gives the same bytes (the file can be committed or served without churn).
"""

from __future__ import annotations

import datetime as dt
import shlex
import uuid
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from icalendar import Calendar, Event, Todo

from kbtool import __version__
from kbtool.dates import shift
from kbtool.review.schedule import DueItem, scheduled

if TYPE_CHECKING:
    from kbtool.vault import Vault

Component = Literal["event", "todo"]
PRODID = f"-//kbtool//kbtool {__version__}//EN"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://kbtool.invalid/review")


def review_uid(path: str) -> str:
    """The entry's UID: stable per note path, across runs and machines."""
    return f"{uuid.uuid5(_NAMESPACE, path)}@kbtool"


def _description(item: DueItem) -> str:
    lines = [f"Path: {item.path}", f"Due {item.due.isoformat()}: {item.reason()}."]
    if item.overdue_days > 0:
        lines.append(f"Overdue by {item.overdue_days} day{'s' if item.overdue_days != 1 else ''}.")
    lines.append("Record the review with: kbtool review done " + shlex.quote(item.path))
    return "\n".join(lines)


def _entry(
    item: DueItem, component: Component, stamp: dt.datetime, vault_name: str
) -> Event | Todo:
    entry: Event | Todo = Event() if component == "event" else Todo()
    entry.add("uid", review_uid(item.path))
    entry.add("dtstamp", stamp)
    if component == "event":
        entry.add("dtstart", item.due)
        if item.due < dt.date.max:
            entry.add("dtend", shift(item.due, days=1))
        else:  # the calendar's last day has no day after it to end on
            entry.add("duration", dt.timedelta(days=1))
        entry.add("transp", "TRANSPARENT")  # a reminder, not busy time
    else:
        entry.add("due", item.due)
        entry.add("status", "NEEDS-ACTION")
    entry.add("summary", f"Review: {item.title}")
    entry.add("description", _description(item))
    entry.add(
        "url",
        f"obsidian://open?vault={quote(vault_name, safe='')}&file={quote(item.path, safe='')}",
    )
    return entry


def build_calendar(vault: Vault, today: dt.date, component: Component = "event") -> bytes:
    """The calendar of every scheduled review of `vault`, as iCalendar bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Reviews: {vault.root.name}")
    stamp = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    for item in scheduled(vault, today):
        calendar.add_component(_entry(item, component, stamp, vault.root.name))
    return calendar.to_ical()
