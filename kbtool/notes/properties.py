"""What the graph and the index read from a note's properties: its type and its tags.

One reading for every consumer, so that the graph export and the index agree
on what a note's tags are (a frontmatter list or a one-line string, then body
tags) and on its type.
"""

from __future__ import annotations

from collections.abc import Iterable

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
