"""KB101 missing-required-field: a required field is absent or empty."""

from kbtool import codes
from kbtool.lint.registry import Example
from kbtool.lint.rules._shared import forward

forward(
    codes.MISSING_REQUIRED_FIELD,
    "missing-required-field",
    "error",
    "a required field that is absent or empty",
    sources=("schema",),
    what="""A field that the schema requires for the note's type (by default title, type,
    created and tags) is missing or empty. Required fields come from [schema] required, or
    [schema.types.NAME] required, in kbtool.toml; with require_type = true every note must
    have a type.""",
    why="""Indexes, queries and the review schedule read these fields; a note without
    them drops out of every list that sorts or filters by them.""",
    example=Example(
        bad="---\ntitle: Kube-proxy\ntype: Fact\ntags: [type/fact]\n---",
        good="---\ntitle: Kube-proxy\ntype: Fact\ncreated: 2024-03-01\ntags: [type/fact]\n---",
    ),
)
