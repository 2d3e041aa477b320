"""When a note was last modified: its `modified`/`updated` property, else the file's mtime.

The properties win because a file's mtime changes on every checkout or sync,
while the property records the author's last edit.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from typing import Any, Literal

from kbtool.model import Note

Source = Literal["modified", "updated", "mtime"]
PROPERTIES: tuple[Source, ...] = ("modified", "updated")


def as_instant(value: Any) -> dt.datetime | None:
    """A property value as an aware UTC date-time (a date is its midnight UTC); else None."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            value = (
                dt.datetime.fromisoformat(text) if len(text) > 10 else dt.date.fromisoformat(text)
            )
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return None


def modified_at(note: Note) -> tuple[dt.datetime, Source]:
    """The latest of the note's `modified` and `updated` dates, else its file mtime."""
    best: tuple[dt.datetime, Source] | None = None
    for key in PROPERTIES:
        instant = as_instant(note.meta.get(key))
        if instant is not None and (best is None or instant > best[0]):
            best = (instant, key)
    if best is not None:
        return best
    return dt.datetime.fromtimestamp(note.mtime_ns / 1e9, dt.UTC), "mtime"


def most_recent(dated: Iterable[tuple[str, dt.datetime]], limit: int) -> list[str]:
    """The paths of the `limit` most recent (path, instant) pairs, newest first, ties by path."""
    newest = heapq.nsmallest(max(limit, 0), dated, key=lambda item: (-item[1].timestamp(), item[0]))
    return [path for path, _ in newest]
