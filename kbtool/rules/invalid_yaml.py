"""KB002 invalid-yaml: the frontmatter is not valid YAML."""

from __future__ import annotations

from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import parse_problems


@rule("KB002", "invalid-yaml", "error", "the frontmatter is not valid YAML")
def check(ctx: RuleContext) -> Iterable[Finding]:
    """The frontmatter between the two '---' lines is not valid YAML (the position is where the
    YAML parser gave up), or one value in it cannot be built: a tag it does not fit ('!!int
    abc'), an unknown tag ('!!python/object'), a list or mapping as a key, an alias to no
    anchor or to itself, or a value past a budget (aliases repeat at most 10,000 values,
    values nest at most 100 levels, integers have at most 4,300 digits). Such a value is
    reported where it is written and read as empty; the rest of the note is still read.
    Template notes with placeholders such as '{{date}}' are a common cause: exclude the
    templates folder with 'exclude = ["Templates"]' in kbtool.toml."""
    return parse_problems(ctx, "KB002")
