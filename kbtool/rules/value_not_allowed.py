"""KB103 value-not-allowed: a value outside the schema's allowed values."""

from __future__ import annotations

from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import schema_findings


@rule("KB103", "value-not-allowed", "error", "a value outside the schema's allowed values")
def check(ctx: RuleContext) -> Iterable[Finding]:
    """A property value that is not among the allowed values declared under [schema.allowed] in
    kbtool.toml (for example status or confidence), or a type that is not one of the
    declared [schema.types]. Empty values are always allowed."""
    return schema_findings(ctx, "KB103")
