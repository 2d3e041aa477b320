"""KB108 type-tag-mismatch: the `type` property and the `type/...` tag disagree."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.notes.properties import is_note_type


@rule(
    "KB108",
    "type-tag-mismatch",
    "warning",
    "`type: Fact` without the tag `type/fact`, or the reverse",
    why=(
        "Searches and tag panes find notes by the tag, Dataview queries by the property; when "
        "they disagree, each finds a different set of notes."
    ),
    example=Example(
        bad="---\ntype: Fact\ntags: [kubernetes]\n---",
        good="---\ntype: Fact\ntags: [kubernetes, type/fact]\n---",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A note with 'type: Fact' must carry the tag 'type/fact' (or the tag declared for
    the type in [schema.types.NAME] tag), and a note tagged 'type/...' must have the type
    that goes with it. Tags compare case-insensitively."""
    from kbtool.lint.schema import type_tag

    schema = ctx.config.schema
    for note in ctx.notes:
        meta = note.meta
        tags = meta.get("tags")
        if not isinstance(tags, list):
            continue
        lowered = {str(t).lower().lstrip("#") for t in tags}
        kind = meta.get("type")
        type_name = kind.strip() if is_note_type(kind) else None
        expected = type_tag(type_name, schema).lower() if type_name is not None else None
        if expected is not None and expected not in lowered:
            yield Finding.at_key(note, "type", f"type '{type_name}' without the tag '{expected}'")
        prefix = "type/"
        for tag in sorted(lowered):
            if tag.startswith(prefix) and tag != expected:
                want = f"type '{type_name}'" if expected else "no type"
                yield Finding.at_key(note, "tags", f"tag '{tag}' does not match the note's {want}")
