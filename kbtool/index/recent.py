"""When a note was last modified: its `modified`/`updated` property, else the file's mtime.

The properties win because a file's mtime changes on every checkout or sync,
while the property records the author's last edit.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from typing import Literal

from kbtool.model import Note
from kbtool.notes.dates import as_instant, instant_from_ns

Source = Literal["modified", "updated", "mtime"]
PROPERTIES: tuple[Source, ...] = ("modified", "updated")


def modified_at(note: Note) -> tuple[dt.datetime, Source] | None:
    """The latest of the note's `modified` and `updated` dates, else its file mtime; None for
    a file that could not be read, which has neither (not the epoch: it was not modified
    in 1970)."""
    best: tuple[dt.datetime, Source] | None = None
    for key in PROPERTIES:
        instant = as_instant(note.meta.get(key))
        if instant is not None and (best is None or instant > best[0]):
            best = (instant, key)
    if best is not None:
        return best
    if note.mtime_ns is None:
        return None
    return instant_from_ns(note.mtime_ns), "mtime"


def most_recent(dated: Iterable[tuple[str, dt.datetime | None]], limit: int) -> list[str]:
    """The paths of the `limit` most recent (path, instant) pairs, newest first, ties by path;
    a path without an instant is left out."""
    known = ((path, instant) for path, instant in dated if instant is not None)
    newest = heapq.nsmallest(max(limit, 0), known, key=lambda item: (-item[1].timestamp(), item[0]))
    return [path for path, _ in newest]
