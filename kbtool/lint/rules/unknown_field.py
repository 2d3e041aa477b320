"""KB104 unknown-field: a field the schema does not know."""

from kbtool import codes
from kbtool.lint.registry import Example
from kbtool.lint.rules._shared import forward

forward(
    codes.UNKNOWN_FIELD,
    "unknown-field",
    "off",
    "a field the schema does not know",
    sources=("schema",),
    what="""A property of a typed note that neither the built-in schema, [schema.fields]
    nor the note type's fields declare. Obsidian's own keys (tags, aliases, cssclasses,
    publish, ...) are always known. Off by default; turn it on in [rules.severity].""",
    why="""Keeps a vault's properties to an agreed set, so that a misspelt key
    ('crated') is not silently a new property.""",
    example=Example(
        bad="---\ntitle: Kube-proxy\ntype: Fact\ncrated: 2024-03-01\n---",
        good="---\ntitle: Kube-proxy\ntype: Fact\ncreated: 2024-03-01\n---",
    ),
)
