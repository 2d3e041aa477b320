"""The vault's link graph, and its exports (JSON, GraphML, GEXF, DOT, Mermaid).

One `networkx.MultiDiGraph` with one edge per link occurrence, built from the
resolver's shared resolutions, so the graph draws exactly the links that
KB201 to KB205 judge. Nodes:

- every note: `kind="note"`, `title`, `type` (or None), `tags` (frontmatter
  and body, without `#`, first occurrence order);
- every attachment that some link reaches: `kind="attachment"`;
- every unresolved target: `kind="unresolved"`, id `unresolved:` plus the
  normalised, lower-cased path (so `[[Foo]]` and `[[foo]]` share one node).

Edges carry `kind` (link, embed, property), `subpath` ("" when none) and `line`;
an edge's key is the link's index in `Resolver.resolved_links()`.
External links (`https:`, `mailto:`) are not edges.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from kbtool.base.jsonout import json_text
from kbtool.base.xmltext import xml_text
from kbtool.notes.properties import note_tags, note_type

if TYPE_CHECKING:
    from kbtool.vault.load import Vault

UNRESOLVED_PREFIX = "unresolved:"
FORMATS = ("json", "graphml", "gexf", "dot", "mermaid")


def unresolved_id(key: str) -> str:
    """The node id of an unresolved target: `unresolved:` + normalised, lower-cased path."""
    return UNRESOLVED_PREFIX + key.lower()


def build_graph(vault: Vault) -> nx.MultiDiGraph:
    """The link graph of the vault: notes, linked attachments, unresolved targets, all links."""
    graph = nx.MultiDiGraph()
    for note in vault.notes.values():
        graph.add_node(
            note.path, kind="note", title=note.title, type=note_type(note), tags=note_tags(note)
        )
    links = vault.resolver.resolved_links()
    attachments: set[str] = set()
    unresolved: set[str] = set()
    ends: list[str] = []
    for item in links:
        target = item.target
        if target is None:
            target = unresolved_id(item.resolution.key)
            unresolved.add(target)
        elif target not in vault.notes:
            attachments.add(target)
        ends.append(target)
    for node in sorted(attachments):
        graph.add_node(node, kind="attachment")
    for node in sorted(unresolved):
        graph.add_node(node, kind="unresolved")
    graph.add_edges_from(
        (
            item.note.path,
            target,
            index,
            {"kind": item.link.kind, "subpath": item.link.subpath, "line": item.link.line},
        )
        for index, (item, target) in enumerate(zip(links, ends, strict=True))
    )
    return graph


# -- views shared by rules, stats and index --------------------------------------


def note_nodes(graph: nx.MultiDiGraph) -> list[str]:
    return [n for n, kind in graph.nodes(data="kind") if kind == "note"]


def note_digraph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """Notes only, one edge per linked pair, self-links dropped: what PageRank, hubs,
    components and MOC reach are computed on."""
    simple = nx.DiGraph()
    notes = note_nodes(graph)
    simple.add_nodes_from(notes)
    kinds = dict(graph.nodes(data="kind"))
    simple.add_edges_from(
        (u, v)
        for u, targets in graph.adj.items()
        for v in targets
        if u != v and kinds.get(v) == "note"
    )
    return simple


def orphan_notes(vault: Vault) -> list[str]:
    """Notes with no link in from another note and no link out (self-links ignored).

    A link out counts whatever it reaches, an attachment or an unresolved
    target too: Obsidian's graph view draws such a note connected to the
    not-yet-created note, and KB201 already reports the broken link. Read
    from the resolved links, so `check` needs no graph object for it.
    """
    resolver = vault.resolver
    resolver.resolved_links()
    return [
        path
        for path in vault.notes
        if not any(item.note.path != path for item in resolver.links_to(path))
        and not any(item.target != path for item in resolver.links_from(path))
    ]


def dead_ends(graph: nx.MultiDiGraph) -> list[str]:
    """Notes with no outgoing link to another existing note (reading stops there)."""
    kinds = dict(graph.nodes(data="kind"))
    return [
        n
        for n in note_nodes(graph)
        if not any(v != n and kinds.get(v) == "note" for v in graph.successors(n))
    ]


# -- exports ----------------------------------------------------------------------


def to_json(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The `graph --format json` document of the CLI contract (subpath null when none)."""
    nodes: list[dict[str, Any]] = []
    for node, data in graph.nodes(data=True):
        entry: dict[str, Any] = {"id": node, "kind": data["kind"]}
        if data["kind"] == "note":
            entry.update(title=data["title"], type=data["type"], tags=list(data["tags"]))
        nodes.append(entry)
    edges = [
        {
            "source": u,
            "target": v,
            "kind": d["kind"],
            "subpath": d["subpath"] or None,
            "line": d["line"],
        }
        for u, v, d in graph.edges(data=True)
    ]
    return {"nodes": nodes, "edges": edges}


def _xml_ids(nodes: Iterable[str]) -> dict[str, str]:
    """Each node id as XML can hold it (see `kbtool.base.xmltext`); an id that becomes the same
    as another's gets ` (2)`, ` (3)`... so that two notes stay two nodes."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for node in nodes:
        safe = candidate = xml_text(node)
        n = 1
        while candidate in taken:
            n += 1
            candidate = f"{safe} ({n})"
        taken.add(candidate)
        ids[node] = candidate
    return ids


def _xml_value(value: Any) -> Any:
    return xml_text(value) if isinstance(value, str) else value


def _flat_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GraphML and GEXF can hold: lists joined, None dropped,
    a `label` (the title of a note, else the id), and only characters XML allows."""
    flat = nx.MultiDiGraph()
    ids = _xml_ids(graph.nodes)
    for node, data in graph.nodes(data=True):
        attrs: dict[str, Any] = {"label": xml_text(data.get("title") or node)}
        for key, value in data.items():
            if isinstance(value, list | tuple):
                attrs[key] = xml_text(", ".join(map(str, value)))
            elif value is not None:
                attrs[key] = _xml_value(value)
        flat.add_node(ids[node], **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _xml_value(x) for k, x in data.items() if x is not None}
        flat.add_edge(ids[u], ids[v], key=key, **attrs)
    return flat


def _dot_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def to_dot(graph: nx.MultiDiGraph) -> str:
    """Graphviz DOT, one edge per link; embeds bold, property links dashed."""
    styles = {"link": "solid", "embed": "bold", "property": "dashed"}
    shapes = {"note": "box", "attachment": "note", "unresolved": "box"}
    lines = ["digraph kbtool {", "  rankdir=LR;"]
    for node, data in graph.nodes(data=True):
        kind = data["kind"]
        attrs = [
            f"label={_dot_quote(data.get('title') or node)}",
            f"kind={_dot_quote(kind)}",
            f"shape={shapes[kind]}",
        ]
        if kind == "unresolved":
            attrs.append('style="dashed"')
        lines.append(f"  {_dot_quote(node)} [{', '.join(attrs)}];")
    for u, v, data in graph.edges(data=True):
        attrs = [
            f"kind={_dot_quote(data['kind'])}",
            f"style={styles[data['kind']]}",
            f"line={data['line']}",
        ]
        if data["subpath"]:
            attrs.append(f"subpath={_dot_quote(data['subpath'])}")
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_label(text: str) -> str:
    """A quoted Mermaid label; `#` first, since the other escapes are `#...;` entity codes."""
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return '"' + " ".join(text.split()) + '"'


def to_mermaid(graph: nx.MultiDiGraph) -> str:
    """A Mermaid flowchart: node ids n0, n1, ... with the title or path as label.

    Repeated links between the same pair with the same kind draw one arrow:
    `-->` link, `==>` embed, `-.->` property.
    """
    arrows = {"link": "-->", "embed": "==>", "property": "-.->"}
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for node, data in graph.nodes(data=True):
        label = _mermaid_label(data.get("title") or node)
        shape = {"note": f"[{label}]", "attachment": f"[({label})]"}.get(
            data["kind"], f"{{{{{label}}}}}"
        )
        lines.append(f"  {ids[node]}{shape}")
    seen: set[tuple[str, str, str]] = set()
    for u, v, kind in graph.edges(data="kind"):
        if (u, v, kind) not in seen:
            seen.add((u, v, kind))
            lines.append(f"  {ids[u]} {arrows[kind]} {ids[v]}")
    unresolved = [ids[n] for n, kind in graph.nodes(data="kind") if kind == "unresolved"]
    if unresolved:
        lines.append("  classDef unresolved stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(unresolved)} unresolved")
    return "\n".join(lines) + "\n"


def _via_writer(writer: Callable[[nx.MultiDiGraph, Any], None]) -> Callable[[nx.MultiDiGraph], str]:
    def render(graph: nx.MultiDiGraph) -> str:
        import io

        buffer = io.BytesIO()
        writer(_flat_copy(graph), buffer)
        return buffer.getvalue().decode("utf-8")

    return render


_RENDERERS: dict[str, Callable[[nx.MultiDiGraph], str]] = {
    "json": lambda g: json_text(to_json(g)),
    "graphml": _via_writer(nx.write_graphml),
    "gexf": _via_writer(nx.write_gexf),
    "dot": to_dot,
    "mermaid": to_mermaid,
}


def export_graph(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The graph as text in one of FORMATS."""
    return _RENDERERS[fmt](graph)
