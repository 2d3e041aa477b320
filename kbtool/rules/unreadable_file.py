"""KB001 unreadable-file: the file cannot be read as a UTF-8 text note."""

from kbtool import codes
from kbtool.registry import Example
from kbtool.rules._shared import forward

forward(
    codes.UNREADABLE_FILE,
    "unreadable-file",
    "error",
    "I/O error, not UTF-8, or binary content",
    sources=("parse",),
    what="""A note that cannot be read (an I/O error), that is not valid UTF-8, or that
    holds binary content (a NUL byte). The position is that of the first bad byte.""",
    why="""Obsidian shows such a file garbled or not at all, and kbtool cannot check
    anything else in it: its links, properties and tags are unknown.""",
    example=Example(
        bad="Caf\\xe9 au lait  %% saved as Latin-1: byte 0xe9 is not UTF-8 %%",
        good="Café au lait  %% saved as UTF-8 %%",
    ),
)
