"""KB004 duplicate-key: a frontmatter key appears twice."""

from __future__ import annotations

from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import parse_problems


@rule("KB004", "duplicate-key", "error", "a frontmatter key appears twice")
def check(ctx: RuleContext) -> Iterable[Finding]:
    """A property key that appears twice in the same mapping. YAML parsers (and Obsidian)
    silently keep only the last value, so the first is lost without warning. The position is
    the repeated key."""
    return parse_problems(ctx, "KB004")
