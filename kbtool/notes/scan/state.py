"""What one pass of the scanner holds: the lines, what it found, and where it is.

The bottom layer of `_Scanner`: every other layer reads and writes these slots, so
they are declared once, here.
"""

from __future__ import annotations

import re
from typing import Literal

from kbtool.model import BlockId, Heading, Link, Suppression, Tag
from kbtool.notes.scan.containers import _Container

RegionKind = Literal["code", "math", "comment", "html"]

#: How much text the `%%` checks may read again, as `REREAD_FACTOR` times the body's
#: length plus `REREAD_ALLOWANCE` characters: a check whose text has a code span, `$`
#: math, tag or Markdown link that the lines still to come could close reads it again
#: at the next line with `%%` (see `_Comments`). Once spent, each line with `%%` ends
#: what a later line can close, so the work stays linear. Real notes spend a fraction.
REREAD_FACTOR = 4
REREAD_ALLOWANCE = 65536


class _State:
    """State of one pass over a body. Line indexes are 0-based; `base` makes them file lines.

    The open leaf block is `leaf` (one of the leaf kinds, 0 for none). A paragraph or
    table keeps its lines in `para` as (line, content offset, indent); the ones from
    `run_from` on are inline text not scanned yet.
    """

    __slots__ = (
        "base",
        "block_ids",
        "code_last",
        "comment_at",
        "comment_close",
        "comment_from_para_start",
        "comment_parts",
        "cur_run",
        "cur_starts",
        "fence_char",
        "fence_len",
        "heading_stack",
        "headings",
        "html_end",
        "leaf",
        "leaf_start",
        "lines",
        "links",
        "para",
        "regions",
        "reread_budget",
        "run_from",
        "run_heading",
        "stack",
        "suppressions",
        "tables",
        "tags",
        "unsettled",
        "wiki_close",
        "wiki_newline",
    )

    def __init__(self, text: str, first_line: int) -> None:
        lines = text.split("\n")
        if "\r" in text:
            lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
        if len(lines) > 1 and not lines[-1].strip(" \t"):
            lines.pop()  # as markdown-it: a blank last line without a line end is no line
        self.lines = lines
        self.base = first_line
        self.headings: list[Heading] = []
        self.block_ids: list[BlockId] = []
        self.tags: list[Tag] = []
        self.links: list[Link] = []
        self.suppressions: list[Suppression] = []
        # (kind, line, column, end line, end column), 0-based, end exclusive
        self.regions: list[tuple[RegionKind, int, int, int, int]] = []
        # (first line, last line) of each table, 0-based
        self.tables: list[tuple[int, int]] = []
        self.heading_stack: list[tuple[int, tuple[str, ...]]] = []
        self.stack: list[_Container] = []
        self.leaf = 0
        self.leaf_start = 0
        self.para: list[tuple[int, int, int]] = []
        self.run_from = 0
        self.run_heading = False
        self.fence_char = ""
        self.fence_len = 0
        self.code_last = 0
        self.html_end: re.Pattern[str] | None = None
        # a %% comment that goes on over the next lines
        self.comment_close = ""
        self.comment_at: tuple[int, int] = (0, 0)
        self.comment_parts: list[str] = []
        self.comment_from_para_start = False
        # the inline text being scanned: its lines and where each starts in its text
        self.cur_run: list[tuple[int, int, int]] = []
        self.cur_starts: list[int] | None = None
        # where the text being scanned has its next `]]` and line end (-2: not searched)
        self.wiki_close = -2
        self.wiki_newline = -2
        # the inline pass made a choice that text after its end could change (see comments)
        self.unsettled = False
        self.reread_budget = REREAD_FACTOR * len(text) + REREAD_ALLOWANCE
