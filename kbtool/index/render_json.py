"""The index as JSON: the same content as the Markdown, as plain data with stable keys.

Each note appears once, under `notes`; every section refers to notes by
vault-relative path, in the order the Markdown lists them. What MOCs reach is listed
once per group of MOCs that reach one another (`moc_groups`); each item of `mocs`
names its group, and reaches that group's `reaches` without itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
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


def _sections(index: Index) -> Iterator[tuple[str, Any]]:
    """The document's keys in order, each with its value; a long list as an iterator
    of its items, made one at a time (a group's reach is one item of `moc_groups`)."""
    yield "kbtool", __version__
    yield "vault", index.root
    yield "today", index.today.isoformat()
    yield "notes", (_entry(entry) for entry in index.entries.values())
    yield "types", [{"type": g.type, "notes": list(g.notes)} for g in index.types]
    yield "tags", [_tag(node) for node in index.tags]
    yield "mocs", [{"path": m.path, "group": m.group, "count": m.count} for m in index.mocs]
    yield "moc_groups", (_Group(g.mocs, iter(g.reaches)) for g in index.moc_groups)
    yield "unreached", list(index.unreached)
    yield "recent", list(index.recent)


@dataclass(frozen=True, slots=True)
class _Group:
    """One item of `moc_groups`: its reach is a list as long as the vault, written in
    pieces."""

    mocs: tuple[str, ...]
    reaches: Iterator[str]

    def data(self) -> dict[str, Any]:
        return {"mocs": list(self.mocs), "reaches": list(self.reaches)}

    def pieces(self, depth: int, batch: int) -> Iterator[str]:
        """The text of `_nested(self.data(), depth)`, `batch` paths at a time."""
        inner, item = "\n" + "  " * (depth + 1), "\n" + "  " * (depth + 2)
        yield f'{{{inner}"mocs": {_nested(list(self.mocs), depth + 1)},{inner}"reaches": '
        empty = True
        while chunk := list(itertools.islice(self.reaches, batch)):
            yield ("[" if empty else ",") + item + ("," + item).join(map(_string, chunk))
            empty = False
        yield "[]" if empty else f"{inner}]"
        yield "\n" + "  " * depth + "}"


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _plain(value: Any) -> Any:
    return value.data() if isinstance(value, _Group) else value


def index_data(index: Index) -> dict[str, Any]:
    """The index as a JSON-ready dict."""
    return {
        key: [_plain(item) for item in value] if isinstance(value, Iterator) else value
        for key, value in _sections(index)
    }


def _nested(value: Any, depth: int) -> str:
    """`value` as `json_text` writes it `depth` levels down in an indented document."""
    return json_text(value)[:-1].replace("\n", "\n" + "  " * depth)


def json_pieces(index: Index, batch: int = 4096) -> Iterator[str]:
    """The text of `render_json` in pieces, at most one list item at a time (of a MOC
    group's reach, `batch` notes at a time), so that the index of a large vault is never held
    whole (issue 11 §5). Newlines in the text are the layout's only (JSON writes one
    inside a string as `\\n`), so indenting a piece's lines nests it."""
    yield "{"
    separator = "\n"
    for key, value in _sections(index):
        yield f"{separator}  {json_text(key)[:-1]}: "
        separator = ",\n"
        if not isinstance(value, Iterator):
            yield _nested(value, 1)
            continue
        first = True
        for item in value:
            yield "[\n    " if first else ",\n    "
            if isinstance(item, _Group):
                yield from item.pieces(2, batch)
            else:
                yield _nested(item, 2)
            first = False
        yield "[]" if first else "\n  ]"
    yield "\n}\n"


def render_json(index: Index) -> str:
    """The index as indented JSON text, ending with a newline."""
    return "".join(json_pieces(index))
