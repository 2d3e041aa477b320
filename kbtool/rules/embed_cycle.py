"""KB207 embed-cycle: transclusions that embed each other in a loop."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from kbtool.context import RuleContext
from kbtool.headings import section_lines, subpath_kind
from kbtool.registry import Example, Finding, rule
from kbtool.resolve import ResolvedLink, Resolver, is_note

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
    Only notes in a cycle of the note-level embed graph are looked at.
    """
    import networkx as nx  # here, not at the top: listing the rules needs no graph library

    embeds = [r for r in resolver.resolved_links() if r.link.kind == "embed" and is_note(r.target)]
    notes = nx.DiGraph((r.note.path, r.target) for r in embeds)
    looping = {n for c in nx.strongly_connected_components(notes) if len(c) > 1 for n in c}
    looping |= {n for n in notes if notes.has_edge(n, n)}
    embeds = [r for r in embeds if r.note.path in looping and r.target in looping]
    by_source: dict[str, list[int]] = {}
    for i, r in enumerate(embeds):
        by_source.setdefault(r.note.path, []).append(i)
    occurrences = nx.DiGraph()
    for i, r in enumerate(embeds):
        lines = _embedded_lines(resolver, r)
        if lines is None:
            continue
        for j in by_source.get(r.target or "", ()):
            if lines[0] <= embeds[j].link.line <= lines[1]:
                occurrences.add_edge(i, j)
    loops: dict[tuple[str, ...], list[ResolvedLink]] = {}
    for cycle in islice(nx.simple_cycles(occurrences), MAX_CYCLES):
        start = min(range(len(cycle)), key=lambda k: (embeds[cycle[k]].note.path, cycle[k]))
        ordered = [embeds[i] for i in cycle[start:] + cycle[:start]]
        loops.setdefault(tuple(r.note.path for r in ordered), ordered)
    return [loops[key] for key in sorted(loops)]


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
