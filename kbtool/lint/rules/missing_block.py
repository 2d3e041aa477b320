"""KB204 missing-block: `[[Note#^id]]` where the note has no such block id."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.vault.resolve import link_label


@rule(
    "KB204",
    "missing-block",
    "error",
    "`[[Note#^id]]` with no such block id",
    why="Obsidian opens the note at its top, and an embed of the block shows nothing.",
    example=Example(
        bad="See [[#^sumary]].\n\nIt programs the rules. ^summary",
        good="See [[#^summary]].\n\nIt programs the rules. ^summary",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A link or embed of a block (`[[Note#^37066d]]`, `![[#^summary]]`) whose target note
    has no `^37066d` block id: at the end of a paragraph or list item line, or alone on a
    line after a list, quote, callout or table. Block ids compare case-insensitively, as
    in Obsidian's metadata cache. Ids inside code blocks do not count."""
    resolver = ctx.vault.resolver
    for item in ctx.subpath_links("block"):
        subpath = item.link.subpath
        assert item.target is not None
        if resolver.subpath_index(item.target).find_block(subpath) is not None:
            continue
        block = subpath[1:].strip()
        message = f"{link_label(item.link)}: no block {block} in {item.target}"
        yield item.finding(message)
