"""`graph --format json` made from the flat link table (`kbtool.vault.linkgraph.LinkTable`)
in pieces: the same text as `json_text(to_json(vault.graph))`, without the MultiDiGraph,
the document or the whole text in memory (issue 11 §5), and without importing networkx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from itertools import chain
from typing import TYPE_CHECKING, Any

from kbtool.base.jsonout import json_text
from kbtool.notes.properties import note_tags, note_type
from kbtool.vault.linkgraph import EDGE_KINDS, LinkTable, build_link_table

if TYPE_CHECKING:
    from kbtool.model import Note
    from kbtool.vault.load import Vault


def _value(value: Any) -> str:
    """One JSON value as `json_text` writes it inside a document."""
    if value is None or type(value) in (str, int):
        return json.dumps(value, ensure_ascii=False)
    return json_text(value)[:-1]  # the rare float or date: json_text's own rules


def _node_json(node: str, kind: str, note: Note | None) -> str:
    head = f'    {{\n      "id": {_value(node)},\n      "kind": {_value(kind)}'
    if note is None:
        return head + "\n    }"
    tags = note_tags(note)
    listed = (
        "[\n" + ",\n".join(f"        {_value(t)}" for t in tags) + "\n      ]" if tags else "[]"
    )
    return (
        f'{head},\n      "title": {_value(note.title)},\n'
        f'      "type": {_value(note_type(note))},\n      "tags": {listed}\n    }}'
    )


def _edge_json(source: str, target: str, kind: str, subpath: str, line: int) -> str:
    return (
        f'    {{\n      "source": {_value(source)},\n      "target": {_value(target)},\n'
        f'      "kind": "{kind}",\n      "subpath": {_value(subpath or None)},\n'
        f'      "line": {line}\n    }}'
    )


def _listed(key: str, items: Iterator[str], last: bool) -> Iterator[str]:
    """`"key": [...]` of a two-space-indented document, items already indented."""
    first = next(items, None)
    end = "\n" if last else ",\n"
    if first is None:
        yield f'  "{key}": []{end}'
        return
    yield f'  "{key}": [\n'
    yield first
    for item in items:
        yield ",\n"
        yield item
    yield f"\n  ]{end}"


def json_chunks(table: LinkTable, notes: Mapping[str, Note], batch: int = 4096) -> Iterator[str]:
    """The text of `json_text(to_json(build_graph(...)))`, made from the link table a
    batch of entries at a time, so that neither the document nor the text is held whole."""
    names = table.nodes

    def nodes() -> Iterator[str]:
        for i, node in enumerate(names):
            kind = table.node_kind(i)
            yield _node_json(node, kind, notes[node] if kind == "note" else None)

    def edges() -> Iterator[str]:
        targets, kinds, subpaths, lines = table.targets, table.kinds, table.subpaths, table.lines
        for i in range(table.note_count):
            source = names[i]
            for e in table.edges_of(i):
                yield _edge_json(
                    source, names[targets[e]], EDGE_KINDS[kinds[e]], subpaths[e], lines[e]
                )

    pending: list[str] = ["{\n"]
    for piece in chain(_listed("nodes", nodes(), False), _listed("edges", edges(), True)):
        pending.append(piece)
        if len(pending) >= batch:
            yield "".join(pending)
            pending.clear()
    pending.append("}\n")
    yield "".join(pending)


def vault_json_chunks(vault: Vault) -> Iterator[str]:
    """`graph --format json` of the vault in pieces (`json_chunks`)."""
    yield from json_chunks(build_link_table(vault.notes, vault.resolver), vault.notes)
