"""KB207 embed-cycle: transclusions that embed each other in a loop."""

from __future__ import annotations

import graphlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from kbtool.base import work
from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding, Note
from kbtool.vault.resolve import ResolvedLink, Resolver, is_note
from kbtool.vault.subpaths import section_lines, subpath_kind

#: Enough for any real vault; bounds the work on a pathological one.
MAX_CYCLES = 1000
_WHOLE = (1, 1 << 30)


def _embedded_lines(resolver: Resolver, item: ResolvedLink) -> tuple[int, int] | None:
    """The lines of the target that an embed shows: the note, a heading's section, a block's
    line; None when the subpath reaches nothing (KB203/KB204 report that)."""
    assert item.target is not None
    subpath = item.link.subpath
    kind = subpath_kind(subpath)
    if kind == "none":
        return _WHOLE
    index = resolver.subpath_index(item.target)
    if kind == "block":
        block = index.find_block(subpath)
        return (block.line, block.line) if block else None
    heading = index.find_heading(subpath)
    return section_lines(resolver.note(item.target), heading) if heading else None


def embed_loops(resolver: Resolver) -> list[list[ResolvedLink]]:
    """Each loop of embeds once, as the embeds in loop order, starting at the embed in the
    alphabetically first note.

    An embed E of note T's part P leads to every embed written inside P, so
    `![[#Details]]` outside its own Details section is no loop, inside it is.
    Only notes in a cycle of the note-level embed graph are looked at. The graph of
    occurrences goes through one node per embedded part (embed -> part -> each embed
    inside it), not from every embed to every embed the part holds, so it grows with
    the embeds, not their square; a part is passed once a loop.
    """
    embeds = [r for r in resolver.resolved_embeds() if is_note(r.target)]
    if not _has_cycle((r.note.path, r.target) for r in embeds):
        return []  # nearly every vault: networkx (a third of a second to import) not needed
    import networkx as nx

    notes: nx.DiGraph[str | None] = nx.DiGraph((r.note.path, r.target) for r in embeds)
    looping = {n for c in nx.strongly_connected_components(notes) if len(c) > 1 for n in c}
    looping |= {n for n in notes if notes.has_edge(n, n)}
    embeds = [r for r in embeds if r.note.path in looping and r.target in looping]
    by_source: dict[str, list[int]] = {}  # each note's embeds, in line order
    for i, r in sorted(enumerate(embeds), key=lambda ir: ir[1].link.line):
        by_source.setdefault(r.note.path, []).append(i)
    source_lines = {path: [embeds[j].link.line for j in found] for path, found in by_source.items()}
    part_of: dict[int, tuple[str, int, int]] = {}
    parts: dict[tuple[str, int, int], list[int]] = {}
    containers: dict[int, list[tuple[str, int, int]]] = {}
    for i, r in enumerate(embeds):
        lines = _embedded_lines(resolver, r)
        if lines is None:
            continue
        part = part_of[i] = (r.target or "", *lines)
        if part not in parts:
            at = source_lines.get(part[0], [])
            first, last = bisect_left(at, lines[0]), bisect_right(at, lines[1])
            parts[part] = by_source.get(part[0], [])[first:last]
            work.steps += last - first + 1
            for j in parts[part]:
                containers.setdefault(j, []).append(part)
    # embeds that show the same part from inside the same parts lead to and from the same
    # embeds: one node stands for them all (the first), so a note that embeds itself n
    # times is one loop to find, not n (nor the n! orderings of its embeds)
    stand_in: dict[tuple[object, ...], int] = {}
    occurrences: nx.DiGraph[int | tuple[str, int, int]] = nx.DiGraph()  # embeds and parts
    for i in sorted(part_of.keys() & containers.keys()):
        key = (part_of[i], *sorted(containers[i]))
        if key not in stand_in:
            stand_in[key] = i
            occurrences.add_edge(i, part_of[i])
            occurrences.add_edges_from((part, i) for part in containers[i])
    work.steps += occurrences.number_of_edges()  # what the cycle search walks
    loops: dict[tuple[str, ...], list[ResolvedLink]] = {}
    for cycle in islice(nx.simple_cycles(occurrences), MAX_CYCLES):
        found = [node for node in cycle if isinstance(node, int)]
        start = min(range(len(found)), key=lambda k: (embeds[found[k]].note.path, found[k]))
        ordered = [embeds[i] for i in found[start:] + found[:start]]
        loops.setdefault(tuple(r.note.path for r in ordered), ordered)
    return [loops[key] for key in sorted(loops)]


def _has_cycle(edges: Iterable[tuple[str, str | None]]) -> bool:
    """Whether the directed graph of `edges` has a cycle (a self-loop counts)."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        if target is not None:
            graph.setdefault(source, set()).add(target)
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError:
        return True
    return False


def _embeds(ctx: RuleContext, note: Note, links: Sequence[ResolvedLink]) -> tuple[object, ...]:
    """The note's embeds of notes, where they stand, and the headings and blocks that
    bound the parts of it that others embed; nothing for a note that embeds no note
    (no loop can pass through it)."""
    embeds = tuple(
        (item.link.line, item.link.column, item.link.path, item.link.subpath, item.target)
        for item in links
        if item.link.kind == "embed" and is_note(item.target)
    )
    if not embeds:
        return ()
    return (embeds, note.headings, note.block_ids)


@rule(
    "KB207",
    "embed-cycle",
    "warning",
    "transclusions that embed each other in a loop",
    why="Each note shows the other cut short, so neither reads whole where it is embedded.",
    example=Example(
        bad="A.md: ![[B]]\nB.md: ![[A]]",
        good="A.md: ![[B]]\nB.md: [[A]]",
    ),
    vault_input=_embeds,
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """Notes that transclude each other in a loop (`A` embeds `![[B]]`, `B` embeds
    `![[A]]`, or a note embeds itself): Obsidian stops the recursion and shows a
    truncated embed. A heading or block embed counts only when the embedded part holds
    the next embed, so `![[#Summary]]` below the Summary section is fine. Each loop is
    reported once, at its embed in the alphabetically first note."""
    for loop in embed_loops(ctx.vault.resolver):
        first = loop[0]
        chain = " -> ".join([r.note.path for r in loop] + [loop[0].note.path])
        yield first.finding(f"embed loop: {chain}")
