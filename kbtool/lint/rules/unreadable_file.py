"""KB001 unreadable-file: the file cannot be read as a UTF-8 text note."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from kbtool import codes
from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.lint.rules._shared import parse_problems
from kbtool.model import Finding, Note
from kbtool.vault.resolve import ResolvedLink


def _problems(ctx: RuleContext, note: Note, links: Sequence[ResolvedLink]) -> tuple[object, ...]:
    """The note's own reading problems; the skipped entries come from the listing."""
    return tuple(p for p in note.problems if p.code == codes.UNREADABLE_FILE)


@rule(
    codes.UNREADABLE_FILE,
    "unreadable-file",
    "error",
    "I/O error, not UTF-8, or binary content",
    why="""Obsidian shows such a file garbled or not at all, and kbtool cannot check
    anything else in it: its links, properties and tags are unknown.""",
    example=Example(
        bad="Caf\\xe9 au lait  %% saved as Latin-1: byte 0xe9 is not UTF-8 %%",
        good="Café au lait  %% saved as UTF-8 %%",
    ),
    vault_input=_problems,
)
def check(ctx: RuleContext) -> Iterable[Finding]:
    """A note that cannot be read (an I/O error), that is not valid UTF-8, that holds binary
    content (a NUL byte) or that is over the size cap (8 MiB). The position is that of the
    first bad byte. Also every entry of the vault that is skipped instead of read, at
    line 1: a FIFO, a device or a socket, a symbolic link to nowhere, to itself or out of
    the vault, and a folder that cannot be opened (its notes would otherwise look like
    the targets of broken links)."""
    yield from parse_problems(ctx, codes.UNREADABLE_FILE)
    yield from _skipped(ctx)


def _skipped(ctx: RuleContext) -> Iterator[Finding]:
    for entry in ctx.vault.unreadable:
        yield Finding(entry.path, 1, 1, entry.reason)
