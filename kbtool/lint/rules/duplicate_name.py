"""KB302 duplicate-name: two notes share a file name in different folders."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding, Note
from kbtool.vault.resolve import ResolvedLink


def _name(ctx: RuleContext, note: Note, links: Sequence[ResolvedLink]) -> str:
    """Only the note's name counts (its path, which the listing gives)."""
    return note.name


@rule(
    "KB302",
    "duplicate-name",
    "info",
    "two notes share a file name (ignoring case) in different folders",
    why="A reader cannot tell from a bare link which note it means, and a move can change it.",
    example=Example(
        bad="a/Note.md: One.\nb/note.md: Two.",
        good="a/Note.md: One.\nb/Other note.md: Two.",
    ),
    vault_input=_name,
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """Notes whose file names are equal ignoring case (`a/Note.md`, `b/note.md`). A bare
    `[[Note]]` reaches one of them, chosen by folder and path length. Reported on each
    of the notes; KB202 reports the links that are actually ambiguous."""
    by_name: dict[str, list[str]] = {}
    for note in ctx.vault.notes.values():
        by_name.setdefault(note.name.lower(), []).append(note.path)
    for paths in by_name.values():
        if len(paths) < 2:
            continue
        for path in paths:
            others = ", ".join(p for p in paths if p != path)
            yield Finding(path, 1, 1, f"another note has the same name: {others}")
