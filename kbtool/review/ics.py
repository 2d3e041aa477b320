"""The review calendar (RFC 5545): one all-day entry per scheduled note, at its due date.

Calendar apps that subscribe to the file update entries by UID, so a UID
depends only on the vault's name (`kbtool.review.vaultname`) and the note's
path: a rescheduled review moves, it is not duplicated, and the same
`index.md` in two vaults subscribed side by side gives two entries.
DTSTAMP comes from `today`, so the same vault on the same day gives the
same bytes (the file can be committed or served without churn).

RFC 5545 asks a calendar for at least one component. When nothing is
scheduled, the calendar holds one VTIMEZONE (UTC), which every client
accepts and none shows, so a subscription stays valid and simply empty.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import uuid
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from icalendar import Calendar, Event, Timezone, TimezoneStandard, Todo

from kbtool.base.version import __version__
from kbtool.notes.dates import shift
from kbtool.review.schedule import DueItem, scheduled
from kbtool.review.vaultname import vault_name

if TYPE_CHECKING:
    from kbtool.vault.load import Vault

Component = Literal["event", "todo"]
PRODID = f"-//kbtool//kbtool {__version__}//EN"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://kbtool.invalid/review")


def review_uid(vault_name: str, path: str) -> str:
    """The entry's UID: stable per vault name and note path, across runs and machines."""
    key = json.dumps([vault_name, path], ensure_ascii=False)  # unambiguous: no separator games
    return f"{uuid.uuid5(_NAMESPACE, key)}@kbtool"


def _utc_timezone() -> Timezone:
    """A VTIMEZONE for UTC: the component an otherwise empty calendar holds."""
    zone = Timezone()
    zone.add("tzid", "UTC")
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(0))
    standard.add("tzoffsetto", dt.timedelta(0))
    standard.add("tzname", "UTC")
    zone.add_component(standard)
    return zone


def _description(item: DueItem) -> str:
    lines = [f"Path: {item.path}", f"Due {item.due.isoformat()}: {item.reason()}."]
    if item.overdue_days > 0:
        lines.append(f"Overdue by {item.overdue_days} day{'s' if item.overdue_days != 1 else ''}.")
    lines.append("Record the review with: kbtool review done " + shlex.quote(item.path))
    return "\n".join(lines)


def _entry(
    item: DueItem, component: Component, stamp: dt.datetime, name: str, folder: str
) -> Event | Todo:
    entry: Event | Todo = Event() if component == "event" else Todo()
    entry.add("uid", review_uid(name, item.path))
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
        f"obsidian://open?vault={quote(folder, safe='')}&file={quote(item.path, safe='')}",
    )
    return entry


def build_calendar(vault: Vault, today: dt.date, component: Component = "event") -> bytes:
    """The calendar of every scheduled review of `vault`, as iCalendar bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = vault_name(vault)
    calendar.add("name", f"Reviews: {name}")  # RFC 7986
    calendar.add("x-wr-calname", f"Reviews: {name}")  # what Google and Apple read
    stamp = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    items = scheduled(vault, today)
    for item in items:
        # Obsidian knows a vault by its folder's name, whatever kbtool.toml calls it
        calendar.add_component(_entry(item, component, stamp, name, vault.root.name))
    if not items:
        calendar.add_component(_utc_timezone())
    return bytes(calendar.to_ical())
