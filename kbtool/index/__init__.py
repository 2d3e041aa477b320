"""`kbtool index`: notes by type, the tag tree, MOCs and what they reach, recent notes.

`build_index()` gathers the plain data; `render_markdown()` and
`render_json()` format it.
"""

from kbtool.index.build import (
    DEFAULT_RECENT,
    Entry,
    Index,
    MocGroup,
    MocReach,
    TypeGroup,
    build_index,
)
from kbtool.index.render_json import index_data, render_json
from kbtool.index.render_md import render_markdown
from kbtool.index.tagtree import TagNode

__all__ = [
    "DEFAULT_RECENT",
    "Entry",
    "Index",
    "MocGroup",
    "MocReach",
    "TagNode",
    "TypeGroup",
    "build_index",
    "index_data",
    "render_json",
    "render_markdown",
]
