"""KB005 missing-frontmatter: a note without frontmatter."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding


@rule(
    "KB005",
    "missing-frontmatter",
    "warning",
    "a note without frontmatter",
    why=(
        "Without properties the note has no title, type, tags or review dates, so indexes, "
        "queries and the review schedule pass it by."
    ),
    example=Example(
        bad="# Kube-proxy\n\nKube-proxy programs the node's rules.",
        good="---\ntitle: Kube-proxy\ntags: [kubernetes]\n---\n# Kube-proxy",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A Markdown note that does not start with a '---' frontmatter block. Empty files are
    reported too."""
    for note in ctx.notes:
        if not note.frontmatter.present and not note.problems:
            yield Finding(note.path, 1, 1, "no frontmatter: the note has no properties")
