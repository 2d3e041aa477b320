"""The tag tree: nested tags (`topic/technology/kubernetes`) with note counts.

Tags compare case-insensitively, as in Obsidian; each node shows the spelling
that most notes use. A node's count is the number of notes that carry the
tag or any tag below it, so a parent counts each note once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kbtool.model import Note
from kbtool.notes.properties import note_tags


@dataclass(frozen=True, slots=True)
class TagNode:
    """One tag of the tree; `notes` are the paths carrying exactly this tag."""

    tag: str  # full display spelling: "topic/Technology"
    name: str  # last segment: "Technology"
    count: int
    notes: tuple[str, ...] = ()
    children: tuple[TagNode, ...] = field(default=())


def build_tag_tree(notes: Iterable[Note]) -> tuple[TagNode, ...]:
    """The tag forest of the notes, each level sorted by name (case-insensitive)."""
    carriers: dict[str, set[str]] = defaultdict(set)  # lower-cased tag -> notes with it or below
    exact: dict[str, set[str]] = defaultdict(set)  # lower-cased tag -> notes with exactly it
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    children: dict[str, set[str]] = defaultdict(set)  # "" is the root
    for note in notes:
        seen_spellings: set[str] = set()
        for tag in note_tags(note):
            parts = [p for p in tag.split("/") if p]
            if not parts:
                continue
            key = "/".join(parts).lower()
            exact[key].add(note.path)
            parent = ""
            for depth in range(1, len(parts) + 1):
                spelled = "/".join(parts[:depth])
                prefix = spelled.lower()
                carriers[prefix].add(note.path)
                children[parent].add(prefix)
                if spelled not in seen_spellings:
                    seen_spellings.add(spelled)
                    spellings[prefix][spelled] += 1
                parent = prefix
    return _nodes("", carriers, exact, spellings, children)


def _nodes(
    parent: str,
    carriers: dict[str, set[str]],
    exact: dict[str, set[str]],
    spellings: dict[str, Counter[str]],
    children: dict[str, set[str]],
) -> tuple[TagNode, ...]:
    nodes: list[TagNode] = []
    for key in children.get(parent, ()):
        spelled = min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        nodes.append(
            TagNode(
                tag=spelled,
                name=spelled.rsplit("/", 1)[-1],
                count=len(carriers[key]),
                notes=tuple(sorted(exact.get(key, ()))),
                children=_nodes(key, carriers, exact, spellings, children),
            )
        )
    nodes.sort(key=lambda n: (n.name.casefold(), n.name))
    return tuple(nodes)


def walk(nodes: Iterable[TagNode], depth: int = 0) -> Iterable[tuple[int, TagNode]]:
    """Every node with its depth, parents before children (iterative, any depth)."""
    stack = [(depth, n) for n in reversed(tuple(nodes))]
    while stack:
        level, node = stack.pop()
        yield level, node
        stack.extend((level + 1, child) for child in reversed(node.children))
