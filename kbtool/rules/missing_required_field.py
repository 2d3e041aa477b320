"""KB101 missing-required-field: a required field is absent or empty."""

from __future__ import annotations

from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import schema_findings


@rule("KB101", "missing-required-field", "error", "a required field is absent or empty")
def check(ctx: RuleContext) -> Iterable[Finding]:
    """A field that the schema requires for the note's type (by default title, type, created
    and tags) is missing or empty. Required fields come from [schema] required, or
    [schema.types.NAME] required, in kbtool.toml; with require_type = true every note must
    have a type."""
    return schema_findings(ctx, "KB101")
