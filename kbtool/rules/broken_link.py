"""KB201 broken-link: a link, embed or property link whose path matches no file."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.resolve import ResolvedLink, Resolver


def broken_message(resolver: Resolver, item: ResolvedLink) -> str:
    """`[[X]] matches no note`, plus the alias owner or the closest name when there is one."""
    link = item.link
    shown = link.raw if link.syntax == "markdown" else f"[[{link.path}]]"
    what = "file" if resolver.is_attachment_path(link.path) else "note"
    message = f"{shown} matches no {what}"
    owners = resolver.alias_owners(link.path)
    suggestion = resolver.suggest(link.path)
    if owners and suggestion:
        return (
            f"{message}; '{link.path}' is an alias of {owners[0]}, but aliases are not "
            f"link targets: write {suggestion}"
        )
    if suggestion:
        return f"{message}; did you mean {suggestion}?"
    return message


@rule("KB201", "broken-link", "error", "a link or property link that matches no file")
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A wiki-link, Markdown link or property link (`up: "[[MOC]]"`) whose path matches
    no note or file of the vault, by Obsidian's rules: exact path, else a case-insensitive
    match on the end of a path, whole folder names only. Obsidian shows such a link as a
    note that does not exist yet. Aliases are not link targets: when the path is an alias
    of a note, the message gives the `[[Note|alias]]` to write; otherwise it suggests the
    closest note name. An embed of a missing image or PDF is KB205 instead."""
    resolver = ctx.vault.resolver
    for item in resolver.resolved_links():
        if item.target is not None or resolver.is_missing_attachment(item):
            continue
        yield item.finding(broken_message(resolver, item))
