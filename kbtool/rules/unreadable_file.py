"""KB001 unreadable-file: the file cannot be read as a UTF-8 text note."""

from __future__ import annotations

from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import parse_problems


@rule("KB001", "unreadable-file", "error", "the file cannot be read as a UTF-8 text note")
def check(ctx: RuleContext) -> Iterable[Finding]:
    """A note that cannot be read (an I/O error), that is not valid UTF-8, or that holds binary
    content (a NUL byte). The position is that of the first bad byte. Nothing else is
    checked in such a file."""
    return parse_problems(ctx, "KB001")
