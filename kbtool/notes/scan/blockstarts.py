"""Block starts that need more than a regex: list items, ATX and setext headings,
tables, HTML blocks and `$$` math blocks.

Each opens its block on the state (closing what it ends); the line pass decides
which to try.
"""

from __future__ import annotations

from kbtool.notes.scan.blockgrammar import _HTML, _HTML_OPEN, _MATH, _ORDERED, _PARA, _TABLE
from kbtool.notes.scan.comments import _Comments
from kbtool.notes.scan.containers import _ITEM, _LIST, _advance, _Container, _match, _nonspace
from kbtool.notes.scan.inline import _SPECIAL
from kbtool.notes.scan.tables import _delimiter_cells, _table_cells


class _BlockStarts(_Comments):
    """Open the block that starts on a line."""

    __slots__ = ()

    def _list_item(
        self,
        idx: int,
        ln: str,
        nn: int,
        ncol: int,
        indent: int,
        para_matched: bool,
        matched: int,
    ) -> tuple[int, int] | None:
        """Open a list item when one starts at `nn`; return (offset, column) of its content."""
        ch = ln[nn]
        if ch in "*+-":
            marker_len = 1
            marker = ch
        else:
            m = _ORDERED.match(ln, nn)
            if m is None or (para_matched and int(m.group(1)) != 1):
                return None
            marker_len = m.end() - nn
            marker = ln[m.end() - 1]
        n = len(ln)
        after = nn + marker_len
        if after < n and ln[after] not in " \t":
            return None
        if para_matched and not ln[after:].strip(" \t"):
            return None  # an empty item cannot interrupt a paragraph
        start_col = ncol + marker_len
        if after + 1 < n and ln[after] == " " and ln[after + 1] not in " \t":
            padding = marker_len + 1  # the usual `- text`
            offset, col = after + 1, start_col + 1
        else:
            offset, col = after, start_col
            while True:
                offset, col = _advance(ln, offset, col, 1)
                if not (col - start_col < 5 and offset < n and ln[offset] in " \t"):
                    break
            spaces = col - start_col
            if spaces >= 5 or spaces < 1 or offset >= n:
                padding = marker_len + 1
                offset, col = after, start_col
                if offset < n and ln[offset] in " \t":
                    offset, col = _advance(ln, offset, col, 1)
            else:
                padding = marker_len + spaces
        if self.leaf:
            self._close_leaf(idx - 1)
        stack = self.stack
        if len(stack) > matched:
            del stack[matched:]
        if not (stack and stack[-1].kind == _LIST and stack[-1].marker == marker):
            if stack and stack[-1].kind == _LIST:
                stack.pop()
            if stack and stack[-1].kind == _ITEM:
                stack[-1].has_child = True
            stack.append(_Container(_LIST, 0, marker))
        stack.append(_Container(_ITEM, indent + padding))
        return offset, col

    def _atx(self, idx: int, ln: str, nn: int, text_start: int) -> None:
        end = len(ln.rstrip(" \t"))
        hashes = end
        while hashes > text_start and ln[hashes - 1] == "#":
            hashes -= 1
        if hashes < end and (hashes == text_start or ln[hashes - 1] in " \t"):
            end = hashes
        self._heading(text_start - nn, ln[text_start:end].strip(" \t"), idx, nn)
        if _SPECIAL.search(ln, text_start):
            self.para = [(idx, text_start, 0)]
            self.run_heading = True
            src, starts = self._run_src(self.para)
            opened = self._inline(src, self.para, starts, True)
            if opened is not None:
                self._enter_comment(src, opened, False)
            self.para = []
            self.run_heading = False

    def _setext(self, level: int) -> None:
        para = self.para
        lines = self.lines
        text = " ".join([lines[i][o:].strip(" \t") for i, o, _ in para]).strip(" \t")
        first, off, _ = para[0]
        self._heading(level, text, first, off)
        self.run_heading = True
        self._close_leaf(first)

    def _no_table(self, idx: int) -> bool:
        """The next line is no table delimiter row, so a `|` on this one starts no table."""
        lines = self.lines
        return idx + 1 >= len(lines) or not _delimiter_cells(lines[idx + 1].strip(" \t"))

    def _next_item(self, ln: str, nn: int, matched: int) -> bool:
        """Is this line the next item of the open list? markdown-it then tries no table."""
        if not matched or self.stack[matched - 1].kind != _LIST:
            return False
        marker = self.stack[matched - 1].marker
        if marker in "*+-":
            after = nn + 1
            ok = ln[nn] == marker
        else:
            m = _ORDERED.match(ln, nn)
            after = m.end() if m else nn
            ok = m is not None and ln[after - 1] == marker
        return ok and (after >= len(ln) or ln[after] in " \t")

    def _table_start(self, idx: int, ln: str, nn: int, matched: int) -> bool:
        """A line with `|` over a delimiter row with as many cells starts a table."""
        nxt = self.lines[idx + 1]
        got, offset, col = _match(self.stack, matched, nxt)
        if got < matched:
            return False
        nn2, ncol2 = _nonspace(nxt, offset, col)
        if ncol2 - col >= 4:
            return False
        cells = _delimiter_cells(nxt[nn2:])
        if not cells or _table_cells(ln[nn:]) != cells:
            return False
        self._open_leaf(_TABLE, idx, matched)
        self.para.append((idx, nn, 0))
        return True

    def _html_start(self, idx: int, ln: str, nn: int, matched: int) -> bool:
        for kind, (opener, closer) in enumerate(_HTML_OPEN, 1):
            if opener.match(ln, nn):
                if kind == 7 and self.leaf in (_PARA, _TABLE):
                    return False  # a lone tag cannot interrupt a paragraph
                self._open_leaf(_HTML, idx, matched)
                self.html_end = closer
                if closer is not None and closer.search(ln, nn):
                    self._close_leaf(idx)
                return True
        return False

    def _math_start(self, idx: int, ln: str, nn: int, matched: int) -> bool:
        """`$$` opens a math block (mdit-py-plugins' dollarmath: not inside a paragraph)."""
        if not ln.startswith("$$", nn) or self.leaf in (_PARA, _TABLE):
            return False
        rest = ln[nn:].rstrip()
        if len(rest) > 3 and rest.endswith("$$"):
            self._open_leaf(_MATH, idx, matched)
            self._close_leaf(idx)
            return True
        if "$$" in rest[2:]:
            return False  # `$$a$$ b`: inline math in a paragraph
        self._open_leaf(_MATH, idx, matched)
        return True
