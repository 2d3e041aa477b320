"""Exports of the link graph (`kbtool.vault.linkgraph`): JSON, GraphML, GEXF, DOT, Mermaid."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from kbtool.base.jsonout import json_text
from kbtool.base.xmltext import xml_text
from kbtool.vault.linkgraph import edge_kinds, node_kinds

FORMATS = ("json", "graphml", "gexf", "dot", "mermaid")


# -- exports ----------------------------------------------------------------------


def to_json(graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
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


def _flat_copy(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """A copy whose attributes GraphML and GEXF can hold: lists joined, None dropped,
    a `label` (the title of a note, else the id), and only characters XML allows."""
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
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


def to_dot(graph: nx.MultiDiGraph[str]) -> str:
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


def to_mermaid(graph: nx.MultiDiGraph[str]) -> str:
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
    for u, v, kind in edge_kinds(graph):
        if (u, v, kind) not in seen:
            seen.add((u, v, kind))
            lines.append(f"  {ids[u]} {arrows[kind]} {ids[v]}")
    unresolved = [ids[n] for n, kind in node_kinds(graph).items() if kind == "unresolved"]
    if unresolved:
        lines.append("  classDef unresolved stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(unresolved)} unresolved")
    return "\n".join(lines) + "\n"


def _via_writer(
    writer: Callable[[nx.MultiDiGraph[str], Any], None],
) -> Callable[[nx.MultiDiGraph[str]], str]:
    def render(graph: nx.MultiDiGraph[str]) -> str:
        import io

        buffer = io.BytesIO()
        writer(_flat_copy(graph), buffer)
        return buffer.getvalue().decode("utf-8")

    return render


_RENDERERS: dict[str, Callable[[nx.MultiDiGraph[str]], str]] = {
    "json": lambda g: json_text(to_json(g)),
    "graphml": _via_writer(nx.write_graphml),
    "gexf": _via_writer(nx.write_gexf),
    "dot": to_dot,
    "mermaid": to_mermaid,
}


def export_graph(graph: nx.MultiDiGraph[str], fmt: str) -> str:
    """The graph as text in one of FORMATS."""
    return _RENDERERS[fmt](graph)
