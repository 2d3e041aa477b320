"""KB102 wrong-type: a property has the wrong type or format."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import parse_problems, schema_findings


@rule("KB102", "wrong-type", "error", "a property has the wrong type or format")
def check(ctx: RuleContext) -> Iterable[Finding]:
    """A property whose value is not of the kind the schema expects: a date that is no date,
    tags or aliases that are not a list, a version that is not a whole number of at least 1.
    The message names the field, the value and what was expected. For 'tags: a, b' the fix
    offers the list Obsidian reads. A date or time that names no real day or time, in any
    property ('created: 2024-13-01', '2024-02-30', an hour of 25), is reported here too and
    read as empty."""
    return itertools.chain(parse_problems(ctx, "KB102"), schema_findings(ctx, "KB102"))
