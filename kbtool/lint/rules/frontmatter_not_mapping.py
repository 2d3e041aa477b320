"""KB003 frontmatter-not-mapping: the frontmatter is a list or a single value, not a mapping."""

from kbtool import codes
from kbtool.lint.registry import Example
from kbtool.lint.rules._shared import forward

forward(
    codes.FRONTMATTER_NOT_MAPPING,
    "frontmatter-not-mapping",
    "error",
    "frontmatter that is a list or a scalar",
    sources=("parse",),
    what="""Frontmatter that is a YAML list or a lone scalar instead of a mapping of
    property names to values (key: value lines).""",
    why="""It is valid YAML, so nothing else complains, but it gives the note no
    properties at all.""",
    example=Example(
        bad="---\n- kubernetes\n- networking\n---",
        good="---\ntags:\n  - kubernetes\n  - networking\n---",
    ),
)
