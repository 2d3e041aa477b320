"""KB002 invalid-yaml: the frontmatter is not valid YAML."""

from __future__ import annotations

from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import parse_problems


@rule("KB002", "invalid-yaml", "error", "the frontmatter is not valid YAML")
def check(ctx: RuleContext) -> Iterable[Finding]:
    """The frontmatter between the two '---' lines is not valid YAML. The position is where the
    YAML parser gave up. Template notes with placeholders such as '{{date}}' are a common
    cause: exclude the templates folder with 'exclude = ["Templates"]' in kbtool.toml."""
    return parse_problems(ctx, "KB002")
