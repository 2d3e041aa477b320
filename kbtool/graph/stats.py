"""Vault statistics from the link graph: sizes, broken links, orphans, hubs, MOC reach.

Counts come from `vault.graph` (one edge per link occurrence) or its collapsed
notes-only view (`note_digraph`: one edge per linked pair, no self-links), and
orphans from the resolved links that KB301 reads, so the numbers agree with
`kbtool graph` and with KB201/KB301.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, TypeGuard

from kbtool.graph.pagerank import pagerank
from kbtool.notes.properties import note_type
from kbtool.vault.linkgraph import dead_ends, edge_kinds, node_kinds, note_digraph, orphan_notes

if TYPE_CHECKING:
    import networkx as nx

    from kbtool.model import Note
    from kbtool.vault.load import Vault

TOP = 10


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


def moc_reach_groups(vault: Vault) -> list[ReachGroup]:
    """The MOCs grouped by strongly connected component, with what each group reaches
    along links, embeds and property links (transitively): `reach_groups`."""
    return reach_groups(note_digraph(vault.graph), mocs(vault))


def reach_groups(graph: nx.DiGraph[str], sources: list[str]) -> list[ReachGroup]:
    """`sources` grouped by strongly connected component of `graph` (in order of first
    source), each group with every node it reaches (`nx.descendants` of each source is
    the group's reach without that source).

    Sources that reach each other reach the same nodes, so each group is walked once,
    on the condensation of the graph (a DAG of the components), in reverse topological
    order: a walk that meets the component of a group already done takes that group's
    reach whole instead of walking on. With every source in one component (a connected
    vault) that is one linear walk; what remains is the size of the answer itself,
    which is quadratic when many sources each reach most of the graph."""
    import networkx as nx  # not needed to show stored figures

    if not sources:
        return []
    dag = nx.condensation(graph)
    mapping: dict[str, int] = dag.graph["mapping"]
    members: dict[int, set[str]] = {c: data["members"] for c, data in dag.nodes(data=True)}
    by_component: dict[int, list[str]] = {}
    for source in sources:
        by_component.setdefault(mapping[source], []).append(source)
    done: dict[int, frozenset[str]] = {}
    for component in reversed(list(nx.topological_sort(dag))):
        if component not in by_component:
            continue
        reach = set(members[component])
        seen = {component}
        stack = list(dag.successors(component))
        while stack:
            other = stack.pop()
            if other in seen:
                continue
            seen.add(other)
            if other in done:
                reach |= done[other]
                continue
            reach |= members[other]
            stack.extend(dag.successors(other))
        done[component] = frozenset(reach)
    return [ReachGroup(tuple(group), done[c]) for c, group in by_component.items()]


def moc_reach(vault: Vault) -> dict[str, set[str]]:
    """For each MOC, the notes it reaches along links, embeds and property links
    (transitively, itself excluded), as `moc_reach_groups` finds them."""
    return {
        moc: set(group.reach - {moc}) for group in moc_reach_groups(vault) for moc in group.mocs
    }


def reached_by_mocs(vault: Vault, simple: nx.DiGraph[str] | None = None) -> set[str]:
    """Every note some MOC reaches (the MOCs themselves excluded unless reached):
    one walk from all MOCs at once, linear in the graph's size. `simple` is
    `note_digraph(vault.graph)` when the caller has it already."""
    simple = note_digraph(vault.graph) if simple is None else simple
    reached: set[str] = set()
    frontier = [v for moc in mocs(vault) for v in simple.successors(moc)]
    while frontier:
        node = frontier.pop()
        if node not in reached:
            reached.add(node)
            frontier.extend(simple.successors(node))
    return reached


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
    """Count and rank; deterministic (ties break by path)."""
    import networkx as nx  # not needed to show stored figures

    graph = vault.graph
    kinds = Counter(kind for _, _, kind in edge_kinds(graph))
    links = {kind: kinds.get(kind, 0) for kind in ("link", "embed", "property")}
    links["total"] = sum(links.values())
    kinds_of = node_kinds(graph)
    broken = sum(1 for _, v in graph.edges() if kinds_of[v] == "unresolved")
    simple = note_digraph(graph)
    components = [len(c) for c in nx.weakly_connected_components(simple)]
    in_degree = sorted(simple.in_degree(), key=lambda item: (-item[1], item[0]))
    ranks = pagerank({node: list(simple.successors(node)) for node in simple}).ranks
    ranked = sorted(ranks.items(), key=lambda item: (-round(item[1], 9), item[0]))
    moc_list = mocs(vault)
    reached = reached_by_mocs(vault, simple)
    moc_set = set(moc_list)
    return VaultStats(
        notes=len(vault.notes),
        attachments=len(vault.attachments),
        links=links,
        broken_links=broken,
        orphans=orphan_notes(vault.notes, vault.resolver),
        dead_ends=dead_ends(graph),
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
