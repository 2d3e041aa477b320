"""KB301 orphan-note: a note with no link in and no link out."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding, Note
from kbtool.vault.resolve import ResolvedLink


def _links_out(
    ctx: RuleContext, note: Note, links: Sequence[ResolvedLink]
) -> frozenset[str | None]:
    """Where the note's links lead, itself left out: the links in of every note are the
    links out of the others."""
    return frozenset(item.target for item in links if item.target != note.path)


@rule(
    "KB301",
    "orphan-note",
    "warning",
    "no link in and no link out",
    why="It floats alone in Obsidian's graph and is found only by search.",
    example=Example(
        bad="Kube-proxy.md: Programs the rules.\nKubernetes networking.md: Pods and nodes.",
        good=(
            "Kube-proxy.md: Part of [[Kubernetes networking]].\n"
            "Kubernetes networking.md: Pods and nodes."
        ),
    ),
    vault_input=_links_out,
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A note that no other note links to, embeds or names in a property, and that links
    to nothing itself.
    Links of every kind count; a note's links to itself do not. A note whose only link
    is broken is not an orphan (Obsidian's graph joins it to the missing note; KB201
    reports the link)."""
    from kbtool.vault.linkgraph import orphan_notes

    for path in orphan_notes(ctx.vault.notes, ctx.vault.resolver):
        yield Finding(path, 1, 1, "orphan note: no note links here and it links to nothing")
