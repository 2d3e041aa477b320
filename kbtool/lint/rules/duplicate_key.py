"""KB004 duplicate-key: a frontmatter key appears twice."""

from kbtool import codes
from kbtool.lint.registry import Example
from kbtool.lint.rules._shared import forward

forward(
    codes.DUPLICATE_KEY,
    "duplicate-key",
    "error",
    "a key that appears twice (YAML would keep only the last)",
    sources=("parse",),
    what="""A property key that appears twice in the same mapping. The position is the
    repeated key.""",
    why="""YAML parsers (and Obsidian) silently keep only the last value, so the first
    is lost without a warning.""",
    example=Example(
        bad="---\ntags: [k8s]\nstatus: draft\ntags: [networking]\n---",
        good="---\ntags: [k8s, networking]\nstatus: draft\n---",
    ),
)
