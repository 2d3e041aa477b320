"""KB206 self-link: a note that links to itself without a heading or block."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.vault.resolve import link_label


@rule(
    "KB206",
    "self-link",
    "off",
    "a note linking to itself without a heading or block",
    why="Clicking it goes nowhere; it is often a leftover of a rename or of a copied Related list.",
    example=Example(
        bad="Kube-proxy.md: See also [[Kube-proxy]].",
        good="Kube-proxy.md: See also [[#Modes]].",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A link from a note to the note itself with no `#heading` or `#^block`.
    Links into the note's own headings (`[[#Details]]`) are fine. Off by default."""
    for item in ctx.links:
        if item.target != item.note.path or item.link.subpath:
            continue
        yield item.finding(f"{link_label(item.link)} links the note to itself")
