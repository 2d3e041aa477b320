"""Leaf and container bookkeeping: open and close leaf blocks and containers, and
record headings.

Closing a leaf is where its text gets its inline pass or the block becomes a region
(code, HTML, math), so every block start and the line pass go through here.
"""

from __future__ import annotations

import re
from sys import intern

from kbtool.model import Heading, new_tuple
from kbtool.notes.scan.blockgrammar import _FENCE, _HTML, _ICODE, _MATH, _PARA, _TABLE
from kbtool.notes.scan.containers import _ITEM, _LIST
from kbtool.notes.scan.inline import _SPECIAL, _InlinePass
from kbtool.notes.scan.state import RegionKind
from kbtool.notes.scan.suppress import _suppression


class _Leaves(_InlinePass):
    """The open leaf block and the container stack."""

    __slots__ = ()

    def _close_leaf(self, end: int) -> None:
        """Finish the open leaf block; `end` is its last line."""
        leaf = self.leaf
        if not leaf:
            return
        self.leaf = 0
        if leaf == _TABLE:
            self.tables.append((self.leaf_start, end))
        if leaf in (_PARA, _TABLE):
            para = self.para
            rf = self.run_from
            if len(para) - rf == 1:
                i, o, _ = para[rf]
                ln = self.lines[i]
                m = _SPECIAL.search(ln, o)
                if m:
                    run = para[rf:]
                    opened = self._inline(ln[o:], run, None, self.run_heading, m.start() - o)
                    if opened is not None:
                        self.regions.append(("comment", i, o + opened[1], i, len(ln)))
            elif len(para) > rf:
                self._flush_run()
            self.para = []
            self.run_from = 0
            self.run_heading = False
        elif leaf == _FENCE:
            self._block_region("code", end)
        elif leaf == _ICODE:
            self._block_region("code", self.code_last)
        elif leaf == _HTML:
            self._html_comments(self.leaf_start, end)
            self._block_region("html", end)
        elif leaf == _MATH:
            self._block_region("math", end)

    def _block_region(self, kind: RegionKind, end: int) -> None:
        start = self.leaf_start
        if end >= start:
            self.regions.append((kind, start, 0, end, len(self.lines[end])))

    def _html_comments(self, start: int, end: int) -> None:
        """Suppression comments inside an HTML block (`<!-- kbtool-disable ... -->`)."""
        block = "\n".join(self.lines[start : end + 1])
        if "kbtool-disable" not in block:
            return
        for m in re.finditer(r"<!--(.*?)-->", block, re.DOTALL):
            line = start + block.count("\n", 0, m.start())
            col = m.start() - (block.rfind("\n", 0, m.start()) + 1) + 1
            end_line = start + block.count("\n", 0, m.end())
            sup = _suppression(m.group(1), self.base + line, col, self.base + end_line)
            if sup is not None:
                self.suppressions.append(sup)

    def _open_leaf(self, kind: int, idx: int, matched: int) -> None:
        """Start a leaf block under the first `matched` containers, closing everything else."""
        self._close_leaf(idx - 1)
        self._close_containers(matched)
        self.leaf = kind
        self.leaf_start = idx

    def _close_containers(self, matched: int) -> None:
        """Close the containers past `matched`; a block is about to go into the last one."""
        stack = self.stack
        if len(stack) > matched:
            del stack[matched:]
        if stack:
            if stack[-1].kind == _LIST:
                stack.pop()  # a list holds only items
            if stack and stack[-1].kind == _ITEM:
                stack[-1].has_child = True

    def _heading(self, level: int, text: str, idx: int, col: int) -> None:
        hs = self.heading_stack  # (level, the texts down to this heading's)
        while hs and hs[-1][0] >= level:
            hs.pop()
        parents = hs[-1][1] if hs else ()
        text = intern(text)  # `## Summary`, `## Related`: the same headings in many notes
        self.headings.append(new_tuple(Heading, (level, text, self.base + idx, col + 1, parents)))
        hs.append((level, (*parents, text)))
