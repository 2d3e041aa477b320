"""The Atom feed of recently modified notes and the sitemap, for readers and search engines.

Both need absolute URLs to be of use outside the site: with `--base-url
https://host/path/` they get them; with a path only, the feed's links are
relative to the feed (readers resolve them) and no sitemap is written (the
protocol requires absolute URLs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from kbtool.index.recent import modified_at, most_recent
from kbtool.model import Note

FEED_ENTRIES = 30


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    url: str
    updated: str  # RFC 3339
    summary: str


def is_absolute(base_url: str) -> bool:
    return "://" in base_url


def recent_notes(notes: Mapping[str, Note], limit: int) -> list[tuple[str, dt.datetime]]:
    """(path, when) of the `limit` most recently modified notes, newest first."""
    when: dict[str, dt.datetime | None] = {}
    for path, note in notes.items():
        found = modified_at(note)
        when[path] = found[0] if found is not None else None
    newest = most_recent(when.items(), limit)  # leaves out a note without a time
    return [(path, instant) for path in newest if (instant := when[path]) is not None]


def rfc3339(instant: dt.datetime) -> str:
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
