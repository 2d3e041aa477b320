"""KB104 unknown-field: a field the schema does not know."""

from __future__ import annotations

from collections.abc import Iterable

from kbtool.context import RuleContext
from kbtool.registry import Finding, rule
from kbtool.rules._shared import schema_findings


@rule("KB104", "unknown-field", "off", "a field the schema does not know")
def check(ctx: RuleContext) -> Iterable[Finding]:
    """A property of a typed note that neither the built-in schema, [schema.fields] nor the
    note type's fields declare. Off by default; turn it on in [rules.severity] to keep a
    vault's properties to an agreed set. Obsidian's own keys (tags, aliases, cssclasses,
    publish, ...) are always known."""
    return schema_findings(ctx, "KB104")
