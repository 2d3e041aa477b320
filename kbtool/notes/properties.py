"""The property vocabulary every layer reads notes with: a note's type and tags, a value's
Obsidian property type, and what counts as empty.

One reading for every consumer, so that the checker, the schedule, the graph export
and the index agree on what a note's tags are (a frontmatter list or a one-line
string, then body tags), on its type, and on an unset property.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeGuard

from kbtool.model import Note


def note_type(note: Note) -> str | None:
    """The `type` property as text, or None when absent or empty."""
    value = note.meta.get("type")
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def frontmatter_tags(value: object) -> list[str]:
    """The tags of a frontmatter `tags` value: a list, or a string of comma/space-separated tags."""
    if value is None:
        return []
    items: Iterable[object]
    if isinstance(value, str):
        items = value.replace(",", " ").split()
    elif isinstance(value, list | tuple):
        items = value
    else:
        items = [value]
    found: list[str] = []
    for item in items:
        if item is None or isinstance(item, dict | list):
            continue
        tag = str(item).strip().lstrip("#").strip("/").strip()
        if tag:
            found.append(tag)
    return found


def note_tags(note: Note) -> list[str]:
    """Every tag of a note as written, once: frontmatter `tags` first, then body tags."""
    found = frontmatter_tags(note.meta.get("tags")) + [t.name.strip("/") for t in note.tags]
    return list(dict.fromkeys(found))


_PROPERTY_TYPES: dict[type, str] = {
    bool: "checkbox",
    int: "number",
    float: "number",
    dt.datetime: "date & time",
    dt.date: "date",
    list: "list",
    dict: "object",
    str: "text",
}


def property_type(value: Any) -> str | None:
    """Obsidian's property type of a value; None for an empty value (fits any type)."""
    if value is None:
        return None
    found = _PROPERTY_TYPES.get(type(value))
    if found is not None:
        return found
    for kind, name in _PROPERTY_TYPES.items():  # subclasses, e.g. a tz-aware datetime subclass
        if isinstance(value, kind):
            return name
    return "text"


def is_empty(value: Any) -> bool:
    """An empty property (`key:`, `key: ""`, `key: []`) is present but unset."""
    return (
        value is None
        or (isinstance(value, str | list | dict) and not value)
        or (isinstance(value, str) and not value.strip())
    )


def is_note_type(value: Any) -> TypeGuard[str]:
    """A `type` that names a note type: non-empty text, not a `[[link]]` to a category note."""
    return isinstance(value, str) and value.strip() != "" and not value.strip().startswith("[[")
