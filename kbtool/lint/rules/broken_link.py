"""KB201 broken-link: a link, embed or property link whose path matches no file."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding, ReplaceText
from kbtool.notes.linktext import can_be_link_target
from kbtool.vault.resolve import ResolvedLink, Resolver


def broken_message(resolver: Resolver, item: ResolvedLink) -> str:
    """`[[X]] matches no note`, plus the alias owner or the closest name when there is one."""
    link = item.link
    shown = link.raw if link.syntax == "markdown" else f"[[{link.path}]]"
    what = "file" if resolver.is_attachment_path(link.path) else "note"
    message = f"{shown} matches no {what}"
    owners = resolver.alias_owners(link.path)
    suggestion = resolver.suggest(link.path)
    if owners:
        written = f"[[{resolver.new_link_path(owners[0], item.note.path)}|{link.path}]]"
        return (
            f"{message}; '{link.path}' is an alias of {owners[0]}, but aliases are not "
            f"link targets: write {written}"
        )
    if suggestion:
        return f"{message}; did you mean {suggestion}?"
    return message


def alias_fix(resolver: Resolver, item: ResolvedLink) -> ReplaceText | None:
    """`[[AI]]` -> `[[Artificial Intelligence|AI]]` when exactly one note has the alias.

    Only for a plain wiki-link in the body, without display text, on one line: what
    Obsidian's own link suggester would have written, in the vault's new link format
    (`.obsidian/app.json` `newLinkFormat`, or `[obsidian] new_link_format`). Never to a
    note whose name a wiki-link cannot hold (`#`, `|`, `^`, `[`, `]`): the fixed link
    would be broken.
    """
    link, span = item.link, item.link.span
    owners = resolver.alias_owners(link.path)
    if (
        len(owners) != 1
        or link.syntax != "wiki"
        or link.kind != "link"
        or link.display is not None
        or span.line != span.end_line
    ):
        return None
    written = resolver.new_link_path(owners[0], item.note.path)
    if not can_be_link_target(written):  # `[[C# language|AI]]` would be a broken link
        return None
    new = f"[[{written}{link.subpath}|{link.path}]]"
    description = f"link to {owners[0]}, whose alias this is"
    return ReplaceText(description, span.line, span.column, span.end_column, link.raw, new)


@rule(
    "KB201",
    "broken-link",
    "error",
    "a link, Markdown link or property link that matches no file; suggests the closest name, or "
    "the `[[Note|alias]]` to write when the text is an alias",
    why=(
        "Obsidian shows such a link as a note that does not exist yet; a click creates an empty "
        "note instead of opening the one meant."
    ),
    example=Example(
        bad="Kube-proxy.md: See [[Service mesh]].\nService meshes.md: Sidecars on every pod.",
        good="Kube-proxy.md: See [[Service meshes]].\nService meshes.md: Sidecars on every pod.",
    ),
    fix="sometimes",
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A wiki-link, Markdown link or property link (`up: "[[MOC]]"`) whose path matches
    no note or file of the vault, by Obsidian's rules: exact path, else a case-insensitive
    match on the end of a path, whole folder names only. Aliases are not link targets:
    when the path is an alias of a note, the message gives the `[[Note|alias]]` to
    write; otherwise it suggests the closest note name. An embed of a missing image or
    PDF is KB205 instead.

    Opt-in, in `[links]`: `generated_pages` and `folder_pages` name pages that the
    publisher (Quartz) makes, which no file matches; with `allow_unresolved`, a link
    to a note not yet written is KB208 (info) instead."""
    resolver = ctx.vault.resolver
    for item in ctx.unresolved_links:
        if item.resolution.generated:
            continue
        if resolver.is_missing_attachment(item) or resolver.is_placeholder(item):
            continue
        yield item.finding(broken_message(resolver, item), alias_fix(resolver, item))
