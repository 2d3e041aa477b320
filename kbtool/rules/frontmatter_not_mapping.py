"""KB003 frontmatter-not-mapping: the frontmatter is a list or a single value, not a mapping."""

from __future__ import annotations

from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import parse_problems


@rule(
    "KB003",
    "frontmatter-not-mapping",
    "error",
    "the frontmatter is a list or a single value, not a mapping",
)
def check(ctx: RuleContext) -> Iterable[Finding]:
    """Frontmatter must be a mapping of property names to values (key: value lines). A YAML
    list or a lone scalar is valid YAML but gives the note no properties."""
    return parse_problems(ctx, "KB003")
