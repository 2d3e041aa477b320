"""KB006 unclosed-frontmatter: the frontmatter's opening '---' has no closing '---'."""

from __future__ import annotations

from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import parse_problems


@rule(
    "KB006", "unclosed-frontmatter", "error", "the frontmatter's opening '---' has no closing '---'"
)
def check(ctx: RuleContext) -> Iterable[Finding]:
    """The file starts with '---' but no later line is '---', so Obsidian reads the whole file
    as text and the note has no properties."""
    return parse_problems(ctx, "KB006")
