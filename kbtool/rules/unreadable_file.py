"""KB001 unreadable-file: the file cannot be read as a UTF-8 text note."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import parse_problems


@rule("KB001", "unreadable-file", "error", "the file cannot be read as a UTF-8 text note")
def check(ctx: RuleContext) -> Iterable[Finding]:
    """A note that cannot be read (an I/O error), that is not valid UTF-8, that holds binary
    content (a NUL byte) or that is over the size cap (8 MiB). The position is that of the
    first bad byte. Nothing else is checked in such a file. Also every entry of the vault
    that is skipped instead of read, at line 1: a FIFO, a device or a socket, a symbolic
    link to nowhere, to itself or out of the vault, and a folder that cannot be opened
    (its notes would otherwise look like the targets of broken links)."""
    yield from parse_problems(ctx, "KB001")
    yield from _skipped(ctx)


def _skipped(ctx: RuleContext) -> Iterator[Finding]:
    for entry in ctx.vault.unreadable:
        yield Finding(entry.path, 1, 1, entry.reason)
