"""KB301 orphan-note: a note with no link in and no link out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import cast

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding, Note
from kbtool.vault.resolve import ResolvedLink


def _links_out(
    ctx: RuleContext, note: Note, links: Sequence[ResolvedLink]
) -> tuple[str | None, ...]:
    """Where the note's links lead, itself left out, in order (None: unresolved): the
    links in of every note are the links out of the others."""
    targets = {item.resolution.target for item in links}
    targets.discard(note.path)
    unresolved = None in targets
    targets.discard(None)
    ordered = tuple(sorted(cast("set[str]", targets)))  # None taken out
    return (*ordered, None) if unresolved else ordered  # unresolved after every path


def _orphans(
    ctx: RuleContext, links_out: Mapping[str, tuple[str | None, ...]]
) -> Iterator[Finding]:
    """The notes, in vault order, that link nowhere and that no other note links to."""
    linked = {target for targets in links_out.values() for target in targets}
    for path, targets in links_out.items():
        if not targets and path not in linked:
            yield Finding(path, 1, 1, "orphan note: no note links here and it links to nothing")


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
    from_inputs=_orphans,
)
def check(ctx: RuleContext) -> Iterable[Finding]:
    """A note that no other note links to, embeds or names in a property, and that links
    to nothing itself.
    Links of every kind count; a note's links to itself do not. A note whose only link
    is broken is not an orphan (Obsidian's graph joins it to the missing note; KB201
    reports the link)."""
    resolver = ctx.vault.resolver
    resolver.resolved_links()
    links_out = {
        note.path: _links_out(ctx, note, resolver.links_from(note.path))
        for note in ctx.vault.notes.values()
    }
    return _orphans(ctx, links_out)
