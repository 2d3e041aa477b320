"""KB005 missing-frontmatter: a note without frontmatter."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule


@rule("KB005", "missing-frontmatter", "warning", "a note without frontmatter")
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A Markdown note that does not start with a '---' frontmatter block, so it has no
    properties (no title, type, tags or review dates). Empty files are reported too."""
    for note in ctx.vault.notes.values():
        if not note.frontmatter.present and not note.problems:
            yield Finding(note.path, 1, 1, "no frontmatter: the note has no properties")
