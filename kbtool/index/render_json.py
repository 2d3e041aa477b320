"""The index as JSON: the same content as the Markdown, as plain data with stable keys.

Each note appears once, under `notes`; every section refers to notes by
vault-relative path, in the order the Markdown lists them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kbtool.base.jsonout import json_text
from kbtool.base.version import __version__
from kbtool.index.build import Entry, Index
from kbtool.index.tagtree import TagNode


def _instant(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def _entry(entry: Entry) -> dict[str, Any]:
    return {
        "path": entry.path,
        "title": entry.title,
        "type": entry.type,
        "summary": entry.summary,
        "link": entry.link,
        "modified": _instant(entry.modified),
        "modified_source": entry.modified_source,
    }


def _tag(node: TagNode) -> dict[str, Any]:
    """One tag node and its subtree (tags nest a few levels deep, so recursion is safe)."""
    return {
        "tag": node.tag,
        "name": node.name,
        "count": node.count,
        "notes": list(node.notes),
        "children": [_tag(child) for child in node.children],
    }


def index_data(index: Index) -> dict[str, Any]:
    """The index as a JSON-ready dict."""
    return {
        "kbtool": __version__,
        "vault": index.root,
        "today": index.today.isoformat(),
        "notes": [_entry(entry) for entry in index.entries.values()],
        "types": [{"type": g.type, "notes": list(g.notes)} for g in index.types],
        "tags": [_tag(node) for node in index.tags],
        "mocs": [{"path": m.path, "reaches": list(m.reaches)} for m in index.mocs],
        "unreached": list(index.unreached),
        "recent": list(index.recent),
    }


def render_json(index: Index) -> str:
    """The index as indented JSON text, ending with a newline."""
    return json_text(index_data(index))
