"""Vault statistics from the link graph: sizes, broken links, orphans, hubs, MOC reach.

Counts come from `vault.graph` (one edge per link occurrence) or its collapsed
notes-only view (`note_digraph`: one edge per linked pair, no self-links), and
orphans from the resolved links that KB301 reads, so the numbers agree with
`kbtool graph` and with KB201/KB301.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

from kbtool.graph.pagerank import pagerank
from kbtool.notes.properties import note_type
from kbtool.vault.linkgraph import EDGE_KINDS, LinkTable, build_link_table, note_successors

if TYPE_CHECKING:
    from kbtool.model import Note
    from kbtool.vault.load import Vault

TOP = 10

N = TypeVar("N", bound=Hashable)


def is_moc(note: Note) -> bool:
    """A Map of Content: `type: MOC` (any case), or a file name starting with "MOC"."""
    return (note_type(note) or "").lower() == "moc" or note.name.startswith("MOC")


def mocs(vault: Vault) -> list[str]:
    return [path for path, note in vault.notes.items() if is_moc(note)]


@dataclass(frozen=True)
class ReachGroup:
    """MOCs that reach each other (one strongly connected component of the notes' graph)
    and the notes they reach: each of them reaches all of `reach` but itself."""

    mocs: tuple[str, ...]
    reach: frozenset[str]


def moc_reach_groups(vault: Vault, table: LinkTable | None = None) -> list[ReachGroup]:
    """The MOCs grouped by strongly connected component, with what each group reaches
    along links, embeds and property links (transitively): `reach_groups` of the notes'
    graph (`note_successors` of the link table, when the caller has it already)."""
    table = build_link_table(vault.notes, vault.resolver) if table is None else table
    return reach_groups(note_successors(table), mocs(vault))


def _components(successors: Mapping[N, Iterable[N]]) -> Iterator[list[N]]:
    """The strongly connected components of a graph (node -> successors), each after every
    component it reaches (reverse topological order): Tarjan's algorithm without recursion."""
    number: dict[N, int] = {}
    low: dict[N, int] = {}
    stack: list[N] = []
    on_stack: set[N] = set()
    for root in successors:
        if root in number:
            continue
        number[root] = low[root] = len(number)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors[root]))]
        while work:
            node, pending = work[-1]
            for other in pending:
                if other not in number:
                    number[other] = low[other] = len(number)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(successors[other])))
                    break
                if other in on_stack and number[other] < low[node]:
                    low[node] = number[other]
            else:
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == number[node]:
                    component: list[N] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    yield component


def reach_groups(successors: Mapping[str, Iterable[str]], sources: list[str]) -> list[ReachGroup]:
    """`sources` grouped by strongly connected component of the graph given as node ->
    successors (a `networkx.DiGraph` is one), in order of first source, each group with
    every node it reaches (`nx.descendants` of each source is the group's reach without
    that source).

    Sources that reach each other reach the same nodes, so each group is walked once,
    on the condensation of the graph (a DAG of the components), in reverse topological
    order: a walk that meets the component of a group already done takes that group's
    reach whole instead of walking on. With every source in one component (a connected
    vault) that is one linear walk; what remains is the size of the answer itself,
    which is quadratic when many sources each reach most of the graph."""
    if not sources:
        return []
    members: list[list[str]] = list(_components(successors))
    component_of = {node: c for c, nodes in enumerate(members) for node in nodes}
    by_component: dict[int, list[str]] = {}
    for source in sources:
        by_component.setdefault(component_of[source], []).append(source)
    done: dict[int, frozenset[str]] = {}
    for component in sorted(by_component):  # each after all it reaches
        reach = set(members[component])
        seen = {component}
        stack = [component]
        while stack:
            here = stack.pop()
            for node in members[here]:
                for target in successors[node]:
                    other = component_of[target]
                    if other in seen:
                        continue
                    seen.add(other)
                    if other in done:
                        reach |= done[other]
                        continue
                    reach |= set(members[other])
                    stack.append(other)
        done[component] = frozenset(reach)
    return [ReachGroup(tuple(group), done[c]) for c, group in by_component.items()]


def moc_reach(vault: Vault) -> dict[str, set[str]]:
    """For each MOC, the notes it reaches along links, embeds and property links
    (transitively, itself excluded), as `moc_reach_groups` finds them."""
    return {
        moc: set(group.reach - {moc}) for group in moc_reach_groups(vault) for moc in group.mocs
    }


def reached_by_mocs(
    vault: Vault, successors: Mapping[str, Iterable[str]] | None = None
) -> set[str]:
    """Every note some MOC reaches (the MOCs themselves excluded unless reached):
    one walk from all MOCs at once, linear in the graph's size. `successors` is
    `note_successors` of the vault's link table when the caller has it already."""
    if successors is None:
        successors = note_successors(build_link_table(vault.notes, vault.resolver))
    reached: set[str] = set()
    frontier = [v for moc in mocs(vault) for v in successors[moc]]
    while frontier:
        node = frontier.pop()
        if node not in reached:
            reached.add(node)
            frontier.extend(successors[node])
    return reached


def _weak_component_sizes(successors: Mapping[str, Iterable[str]]) -> list[int]:
    """The sizes of the weakly connected components (union-find, by size)."""
    parent = {node: node for node in successors}
    size = dict.fromkeys(successors, 1)

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for node, targets in successors.items():
        for target in targets:
            a, b = root(node), root(target)
            if a != b:
                if size[a] < size[b]:
                    a, b = b, a
                parent[b] = a
                size[a] += size[b]
    return [size[node] for node in successors if parent[node] == node]


def _orphans(table: LinkTable) -> list[str]:
    """Notes with no link in from another note and no link out (self-links ignored), as
    `kbtool.vault.linkgraph.orphan_notes` finds them from the resolved links."""
    linked = bytearray(len(table.nodes))
    targets = table.targets
    for note in range(table.note_count):
        for edge in table.edges_of(note):
            target = targets[edge]
            if target != note:
                linked[note] = linked[target] = 1
    return [table.nodes[i] for i in range(table.note_count) if not linked[i]]


@dataclass
class VaultStats:
    """What `kbtool stats` reports; `to_dict()` is its JSON form."""

    notes: int
    attachments: int
    links: dict[str, int]
    broken_links: int
    orphans: list[str]
    dead_ends: list[str]
    components: int
    largest_component: int
    hubs_in_degree: list[dict[str, Any]] = field(default_factory=list)
    hubs_pagerank: list[dict[str, Any]] = field(default_factory=list)
    mocs: list[str] = field(default_factory=list)
    not_reached_by_moc: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_stats(value: object) -> TypeGuard[VaultStats]:
    """Whether a stored result is a `VaultStats` (a damaged or foreign row is not)."""
    return isinstance(value, VaultStats)


def compute_stats(vault: Vault, top: int = TOP) -> VaultStats:
    """Count and rank; deterministic (ties break by path). Read from the flat link table
    (no networkx graph: issue 11 §5), with the same figures `vault.graph` gives."""
    table = build_link_table(vault.notes, vault.resolver)
    kinds = Counter(table.kinds)
    links = {kind: kinds.get(code, 0) for code, kind in enumerate(EDGE_KINDS)}
    links["total"] = sum(links.values())
    first_unresolved = table.unresolved_start
    broken = sum(1 for target in table.targets if target >= first_unresolved)
    successors = note_successors(table)
    components = _weak_component_sizes(successors)
    in_degrees = Counter(v for targets in successors.values() for v in targets)
    in_degree = sorted(
        ((node, in_degrees.get(node, 0)) for node in successors),
        key=lambda item: (-item[1], item[0]),
    )
    ranks = pagerank(successors).ranks
    ranked = sorted(ranks.items(), key=lambda item: (-round(item[1], 9), item[0]))
    moc_list = mocs(vault)
    reached = reached_by_mocs(vault, successors)
    moc_set = set(moc_list)
    return VaultStats(
        notes=len(vault.notes),
        attachments=len(vault.attachments),
        links=links,
        broken_links=broken,
        orphans=_orphans(table),
        dead_ends=[node for node, targets in successors.items() if not targets],
        components=len(components),
        largest_component=max(components, default=0),
        hubs_in_degree=[{"path": p, "in_degree": d} for p, d in in_degree[:top] if d > 0],
        hubs_pagerank=[{"path": p, "pagerank": round(r, 6)} for p, r in ranked[:top]],
        mocs=moc_list,
        not_reached_by_moc=[p for p in vault.notes if p not in reached and p not in moc_set],
    )


def _listing(title: str, paths: list[str], limit: int = TOP) -> list[str]:
    if not paths:
        return []
    lines = ["", f"{title} ({len(paths)}):"]
    lines.extend(f"  {p}" for p in paths[:limit])
    if len(paths) > limit:
        lines.append(f"  ... and {len(paths) - limit} more")
    return lines


def summary_rows(stats: VaultStats) -> list[tuple[str, str]]:
    """The headline numbers as (label, value) rows, shared by the plain and rich outputs."""
    links = stats.links
    by_kind = ", ".join(f"{k} {links[k]}" for k in ("link", "embed", "property"))
    reach = (
        f"{len(stats.not_reached_by_moc)} notes not reached by {len(stats.mocs)} MOCs"
        if stats.mocs
        else "no MOC in the vault"
    )
    return [
        ("Notes", str(stats.notes)),
        ("Attachments", str(stats.attachments)),
        ("Links", f"{links['total']} ({by_kind})"),
        ("Broken links", str(stats.broken_links)),
        ("Orphans", str(len(stats.orphans))),
        ("Dead ends", str(len(stats.dead_ends))),
        ("Components", f"{stats.components} (largest: {stats.largest_component} notes)"),
        ("MOC reach", reach),
    ]


def format_text(stats: VaultStats) -> str:
    """Plain text for pipes and files: aligned numbers, then hubs and short listings."""
    rows = summary_rows(stats)
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    if stats.hubs_in_degree:
        lines += ["", "Hubs by in-degree:"]
        lines += [f"  {h['in_degree']:>5}  {h['path']}" for h in stats.hubs_in_degree]
    if stats.hubs_pagerank:
        lines += ["", "Hubs by PageRank:"]
        lines += [f"  {h['pagerank']:.4f}  {h['path']}" for h in stats.hubs_pagerank]
    lines += _listing("Orphans", stats.orphans)
    lines += _listing("Dead ends", stats.dead_ends)
    if stats.mocs:
        lines += _listing("Not reached by any MOC", stats.not_reached_by_moc)
    return "\n".join(lines) + "\n"
