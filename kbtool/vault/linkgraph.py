"""The vault's link graph, and the views of it that rules, stats and the index share.

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

from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbtool.notes.properties import note_tags, note_type

if TYPE_CHECKING:
    import networkx as nx

    from kbtool.model import Note
    from kbtool.vault.resolve import Resolver

UNRESOLVED_PREFIX = "unresolved:"


def unresolved_id(key: str) -> str:
    """The node id of an unresolved target: `unresolved:` + normalised, lower-cased path."""
    return UNRESOLVED_PREFIX + key.lower()


def build_graph(notes: Mapping[str, Note], resolver: Resolver) -> nx.MultiDiGraph[str]:
    """The link graph of the vault: notes, linked attachments, unresolved targets, all links."""
    import networkx as nx  # on first use: check's orphan rule needs none of it

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for note in notes.values():
        graph.add_node(
            note.path, kind="note", title=note.title, type=note_type(note), tags=note_tags(note)
        )
    links = resolver.resolved_links()
    attachments: set[str] = set()
    unresolved: set[str] = set()
    ends: list[str] = []
    for item in links:
        target = item.target
        if target is None:
            target = unresolved_id(item.resolution.key)
            unresolved.add(target)
        elif target not in notes:
            attachments.add(target)
        ends.append(target)
    for node in sorted(attachments):
        graph.add_node(node, kind="attachment")
    for node in sorted(unresolved):
        graph.add_node(node, kind="unresolved")
    graph.add_edges_from(
        (  # type: ignore[misc]  # the stubs omit the (u, v, key, data) form
            item.note.path,
            target,
            index,
            {"kind": item.link.kind, "subpath": item.link.subpath, "line": item.link.line},
        )
        for index, (item, target) in enumerate(zip(links, ends, strict=True))
    )
    return graph


# -- the same graph as flat arrays -------------------------------------------------

#: Edge kinds by their code in `LinkTable.kinds`.
EDGE_KINDS = ("link", "embed", "property")


@dataclass(frozen=True, slots=True)
class LinkTable:
    """The link graph of `build_graph` as flat arrays: what `graph --format json`, `stats`
    and MOC reach read, at a few bytes a link where the MultiDiGraph holds an attribute
    dict per edge (5 GB at 100,000 notes).

    `nodes` in the graph's order: the notes (vault order), then the linked attachments
    and the unresolved targets, each sorted. Edges in the order the MultiDiGraph lists
    them: by source note, then by target in order of the first link to it, then in
    link order; note `i`'s edges are `starts[i]` to `starts[i + 1]`. An edge is
    `targets[e]` (a node number), `kinds[e]` (an index in EDGE_KINDS), `subpaths[e]`
    ("" when none) and `lines[e]`."""

    nodes: list[str]
    note_count: int
    attachment_count: int
    starts: array[int]
    targets: array[int]
    kinds: bytes
    subpaths: list[str]
    lines: array[int]

    @property
    def unresolved_start(self) -> int:
        """The number of the first unresolved node."""
        return self.note_count + self.attachment_count

    def node_kind(self, node: int) -> str:
        if node < self.note_count:
            return "note"
        return "attachment" if node < self.unresolved_start else "unresolved"

    def edges_of(self, note: int) -> range:
        return range(self.starts[note], self.starts[note + 1])

    def note_successors(self, note: int) -> list[int]:
        """The other notes `note` links to, once each, in order of the first link: its
        successors in `note_digraph`."""
        found: dict[int, None] = {}
        targets, count = self.targets, self.note_count
        for edge in self.edges_of(note):
            target = targets[edge]
            if target < count and target != note:
                found[target] = None
        return list(found)


def note_successors(table: LinkTable) -> dict[str, list[str]]:
    """Each note (vault order) with the other notes it links to, once each, in order of
    the first link: `note_digraph` as node -> successors, without networkx."""
    names = table.nodes
    return {
        names[i]: [names[j] for j in table.note_successors(i)] for i in range(table.note_count)
    }


def _grouped_by_target(
    edges: list[tuple[str, int, str, int]],
) -> Iterator[tuple[str, int, str, int]]:
    """One note's edges (target, kind, subpath, line) grouped by target in order of each
    target's first link, as a MultiDiGraph's adjacency lists them."""
    groups: dict[str, list[tuple[str, int, str, int]]] = {}
    for edge in edges:
        groups.setdefault(edge[0], []).append(edge)
    for group in groups.values():
        yield from group


def build_link_table(notes: Mapping[str, Note], resolver: Resolver) -> LinkTable:
    """The `LinkTable` of the vault, resolving each note's links in turn (`links_of`), so
    that no per-link object outlives its note."""
    number = {path: i for i, path in enumerate(notes)}
    code = {kind: i for i, kind in enumerate(EDGE_KINDS)}
    others: dict[str, int] = {}  # attachments and unresolved ids, numbered as met
    unresolved: set[str] = set()
    starts, targets, lines = array("q", [0]), array("q"), array("q")
    kinds = bytearray()
    subpaths: list[str] = []
    for note in notes.values():
        edges: list[tuple[str, int, str, int]] = []
        for item in resolver.links_of(note):
            link = item.link
            target = item.target
            if target is None:
                target = unresolved_id(item.resolution.key)
                unresolved.add(target)
            edges.append((target, code[link.kind], link.subpath, link.line))
        for target, kind, subpath, line in _grouped_by_target(edges):
            found = number.get(target)
            if found is None:
                found = -1 - others.setdefault(target, len(others))
            targets.append(found)
            kinds.append(kind)
            subpaths.append(subpath)
            lines.append(line)
        starts.append(len(targets))
    attachments = sorted(t for t in others if t not in unresolved)
    ordered = [*notes, *attachments, *sorted(unresolved)]
    renumber = [0] * len(others)
    for position, node in enumerate(ordered[len(number) :], start=len(number)):
        renumber[others[node]] = position
    for edge, numbered in enumerate(targets):
        if numbered < 0:
            targets[edge] = renumber[-1 - numbered]
    return LinkTable(
        ordered, len(number), len(attachments), starts, targets, bytes(kinds), subpaths, lines
    )


# -- views shared by rules, stats and index --------------------------------------


def node_kinds(graph: nx.MultiDiGraph[str]) -> dict[str, str]:
    """Each node's kind: note, attachment or unresolved."""
    return {node: data["kind"] for node, data in graph.nodes(data=True)}


def edge_kinds(graph: nx.MultiDiGraph[str]) -> list[tuple[str, str, str]]:
    """Each edge as (source, target, kind): link, embed or property."""
    return [(u, v, data["kind"]) for u, v, data in graph.edges(data=True)]


def note_nodes(graph: nx.MultiDiGraph[str]) -> list[str]:
    return [n for n, kind in node_kinds(graph).items() if kind == "note"]


def note_digraph(graph: nx.MultiDiGraph[str]) -> nx.DiGraph[str]:
    """Notes only, one edge per linked pair, self-links dropped: what PageRank, hubs,
    components and MOC reach are computed on."""
    import networkx as nx

    simple: nx.DiGraph[str] = nx.DiGraph()
    notes = note_nodes(graph)
    simple.add_nodes_from(notes)
    kinds = node_kinds(graph)
    simple.add_edges_from(
        (u, v)
        for u, targets in graph.adj.items()
        for v in targets
        if u != v and kinds.get(v) == "note"
    )
    return simple


def orphan_notes(notes: Iterable[str], resolver: Resolver) -> list[str]:
    """Notes with no link in from another note and no link out (self-links ignored).

    A link out counts whatever it reaches, an attachment or an unresolved
    target too: Obsidian's graph view draws such a note connected to the
    not-yet-created note, and KB201 already reports the broken link. Read
    from the resolved links, so `check` needs no graph object for it.
    """
    resolver.resolved_links()
    return [
        path
        for path in notes
        if not any(item.note.path != path for item in resolver.links_to(path))
        and not any(item.target != path for item in resolver.links_from(path))
    ]


def dead_ends(graph: nx.MultiDiGraph[str]) -> list[str]:
    """Notes with no outgoing link to another existing note (reading stops there)."""
    kinds = node_kinds(graph)
    return [
        n
        for n in note_nodes(graph)
        if not any(v != n and kinds.get(v) == "note" for v in graph.successors(n))
    ]
