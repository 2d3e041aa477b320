"""KB208 unwritten-note: with `[links] allow_unresolved`, a link to a note not yet written."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.vault.resolve import link_label


@rule(
    "KB208",
    "unwritten-note",
    "info",
    "with `[links] allow_unresolved = true`: a link to a note not yet written (instead of KB201)",
    why=(
        "It lists the notes the vault means to write, without failing the check as a broken link "
        "would."
    ),
    example=Example(
        bad="kbtool.toml:\n[links]\nallow_unresolved = true\nKube-proxy.md: See [[Gateway API]].",
        good=(
            "kbtool.toml:\n[links]\nallow_unresolved = true\nKube-proxy.md: See [[Gateway API]].\n"
            "Gateway API.md: Routes into the cluster."
        ),
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """Only with `[links] allow_unresolved = true` in kbtool.toml, for vaults that link
    on purpose to notes they mean to write (Obsidian shows them as links to create): a
    link whose path matches no note is reported here, as information, instead of as a
    KB201 error. A link to a missing file (`[[paper.pdf]]`), a missing attachment
    (KB205), a missing heading (KB203) or block (KB204) stays an error, and so does a
    link whose path is an alias of an existing note (KB201 gives the link to write)."""
    resolver = ctx.vault.resolver
    if not resolver.links.allow_unresolved:  # off by default: no link is a placeholder
        return
    for item in ctx.unresolved_links:
        if resolver.is_placeholder(item):
            message = f"{link_label(item.link)}: note '{item.link.path}' not written yet"
            suggestion = resolver.suggest(item.link.path)
            if suggestion:
                message += f" (or did you mean {suggestion}?)"
            yield item.finding(message)
