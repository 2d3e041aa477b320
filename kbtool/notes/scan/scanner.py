"""The line pass: every line of a body, in order, through CommonMark's block algorithm.

The top layer of `_Scanner`: it matches a line against the open containers, tries
block starts, else continues a paragraph (lazily or not), and hands text to the
inline pass. The layers below it are listed in `kbtool/notes/scan/__init__.py`.
"""

from __future__ import annotations

from kbtool.notes.scan.blockgrammar import (
    _ATX,
    _FENCE,
    _FENCE_CLOSE,
    _FENCE_OPEN,
    _HRULE,
    _HTML,
    _ICODE,
    _MATH,
    _MAYBE_SPECIAL,
    _PARA,
    _PLAIN_STOP,
    _SETEXT,
    _TABLE,
    _plain_item,
    _starts_block,
)
from kbtool.notes.scan.blockstarts import _BlockStarts
from kbtool.notes.scan.containers import _BQ, _ITEM, _LIST, _advance, _Container, _match, _nonspace
from kbtool.notes.scan.inline import _SPECIAL


class _Scanner(_BlockStarts):
    """One pass over a body: `scan()` fills the state's lists.

    The hot paths are written out in `_line` on purpose: a call costs as much as the
    work on a typical line.
    """

    __slots__ = ()

    def scan(self) -> None:
        one_line = self._line
        plain_stop = _PLAIN_STOP
        for idx, ln in enumerate(self.lines):
            if self.comment_close:
                self._comment_line(idx, ln)
            elif not ln:
                if self.leaf or self.stack:
                    self._blank(idx)
            elif (
                self.leaf == _PARA
                and not self.stack
                and ln[0] not in plain_stop
                and "%%" not in ln
                and ("|" not in ln or self._no_table(idx))
            ):
                self.para.append((idx, 0, 0))  # a paragraph goes on: the commonest line
            else:
                one_line(idx, ln)
        last = len(self.lines) - 1
        if self.comment_close:
            at, col = self.comment_at
            self.regions.append(("comment", at, col, last, len(self.lines[last])))
        self._close_leaf(last)

    def _blank(self, idx: int) -> None:
        """An empty line: it goes on in lists and in items that hold something, nowhere else."""
        stack = self.stack
        matched = 0
        for c in stack:
            if c.kind == _BQ or (c.kind == _ITEM and not c.has_child):
                break
            matched += 1
        leaf = self.leaf
        if matched == len(stack) and (
            leaf in (_FENCE, _ICODE, _MATH) or (leaf == _HTML and self.html_end is not None)
        ):
            return
        if leaf:
            self._close_leaf(idx - 1)
        del stack[matched:]

    def _line(self, idx: int, ln: str) -> None:
        """One non-empty line, outside a comment that spans lines."""
        stack = self.stack
        c0 = ln[0]
        # 1. which open containers does this line continue?
        depth = len(stack)
        if depth and not self.leaf and c0 not in " \t>*+-" and not "0" <= c0 <= "9":
            # at the margin after a blank line, and no list item: every container ends
            del stack[:]
            depth = 0
        if not depth:
            if (
                c0 not in _MAYBE_SPECIAL
                and c0 not in " \t"
                and ("|" not in ln or self._no_table(idx))
            ):
                # fast path: plain text outside any container
                leaf = self.leaf
                if leaf == _PARA or not leaf:
                    if not leaf:
                        self.leaf = _PARA
                        self.leaf_start = idx
                    self.para.append((idx, 0, 0))
                    if "%%" in ln:
                        self._check_comment()
                    return
            if (
                c0 == "#"
                and self.leaf in (0, _PARA, _ICODE)
                and ("|" not in ln or self._no_table(idx))
            ):
                m = _ATX.match(ln)
                if m:
                    self._close_leaf(idx - 1)
                    self._atx(idx, ln, 0, m.end())
                    return
            matched = offset = col = 0
        elif (
            depth == 2
            and c0 in "*+-"
            and ln[1:2] == " "
            and stack[0].kind == _LIST
            and self.leaf in (0, _PARA)
            and (
                (len(ln) > 2 and ln[2] not in _MAYBE_SPECIAL and ln[2] not in " \t")
                or _plain_item(ln)
            )
            and ("|" not in ln or self._no_table(idx))
        ):
            # fast path: `- text`, the next item of a list at the left margin
            para = self.para
            if not self.leaf:
                para.append((idx, 2, 0))
            elif (
                len(para) == 1
                and not self.run_from
                and not _SPECIAL.search(self.lines[para[0][0]], para[0][1])
            ):
                self.para = [(idx, 2, 0)]  # the item before had nothing to scan
            else:
                self._close_leaf(idx - 1)
                self.para.append((idx, 2, 0))
            stack[0].marker = c0
            item = stack[1]
            item.width = 2
            item.has_child = True
            self.leaf = _PARA
            self.leaf_start = idx
            if "%%" in ln:
                self._check_comment()
            return
        elif c0 not in " \t>":
            # not indented and no quote marker: only a list (not its item) goes on
            matched = 1 if stack[0].kind == _LIST else 0
            offset = col = 0
        else:
            matched, offset, col = _match(stack, depth, ln)
        all_matched = matched == depth
        n = len(ln)
        if offset >= n or ln[offset] not in " \t":
            nn, ncol = offset, col
        else:
            nn, ncol = _nonspace(ln, offset, col)
        blank = nn >= n
        indent = ncol - col
        leaf = self.leaf
        leaf_matched = False
        if all_matched and leaf:
            if leaf == _FENCE:
                if indent <= 3 and not blank and ln[nn] == self.fence_char:
                    m = _FENCE_CLOSE.match(ln, nn)
                    if m and m.group(1)[0] == self.fence_char and len(m.group(1)) >= self.fence_len:
                        self._block_region("code", idx)
                        self.leaf = 0
                return
            if leaf == _ICODE:
                if blank:
                    return
                if indent >= 4:
                    self.code_last = idx
                    return
            elif leaf == _HTML:
                if not (blank and self.html_end is None):
                    if self.html_end is not None and self.html_end.search(ln, offset):
                        self._close_leaf(idx)
                    return
            elif leaf == _MATH:
                if ln[offset:].rstrip().endswith("$$"):
                    self._close_leaf(idx)
                return
            elif leaf == _PARA:
                leaf_matched = not blank
            elif leaf == _TABLE:
                leaf_matched = not blank and indent < 4
        all_closed = all_matched and (not leaf or leaf_matched)
        para_matched = leaf_matched and leaf == _PARA
        # markdown-it tries a table first, but not on a lazy line or on a table's own row
        table_ok = (
            idx + 1 < len(self.lines)
            and (all_closed or leaf != _PARA)
            and not (leaf_matched and leaf == _TABLE)
        )
        # 2. new containers and leaf blocks (what is known of the whole line, once)
        pipe = "|" in ln
        rule = None  # could the rest be a thematic break: only `-*_` and blanks?
        while not blank:
            ch = ln[nn]
            if indent >= 4:
                if self.leaf != _PARA or (not all_closed and self._lazy_ends(ln, nn, matched)):
                    self._open_leaf(_ICODE, idx, matched)
                    self.code_last = idx
                    return
                break
            if (
                table_ok
                and pipe
                and not self._next_item(ln, nn, matched)
                and self._table_start(idx, ln, nn, matched)
            ):
                return
            if ch not in _MAYBE_SPECIAL:
                break
            if ch == ">":
                self._close_leaf(idx - 1)
                self._close_containers(matched)
                stack.append(_Container(_BQ))
                matched = len(stack)
                all_closed = True
                para_matched = False
                table_ok = idx + 1 < len(self.lines)
                offset, col = nn + 1, ncol + 1
                if offset < n and ln[offset] in " \t":
                    offset, col = _advance(ln, offset, col, 1)
                nn, ncol = _nonspace(ln, offset, col)
                blank = nn >= n
                indent = ncol - col
                continue
            if ch == "#":
                m = _ATX.match(ln, nn)
                if m:
                    self._open_leaf(0, idx, matched)
                    self._atx(idx, ln, nn, m.end())
                    return
            elif ch == "`" or ch == "~":
                m = _FENCE_OPEN.match(ln, nn)
                if m:
                    self._open_leaf(_FENCE, idx, matched)
                    self.fence_char = ch
                    self.fence_len = m.end() - nn
                    return
            elif ch == "<":
                if self._html_start(idx, ln, nn, matched):
                    return
            elif ch == "$" and self._math_start(idx, ln, nn, matched):
                return
            if para_matched and (ch == "=" or ch == "-") and _SETEXT.match(ln, nn):
                self._setext(1 if ch == "=" else 2)
                return
            if ch in "*-_":
                if rule is None:
                    rule = not ln.strip(" \t-*_")
                if rule and _HRULE.match(ln, nn):
                    self._open_leaf(0, idx, matched)
                    return
            if ch in "*+-":
                if nn + 1 < n and ln[nn + 1] not in " \t":
                    break
            elif not "0" <= ch <= "9":
                break
            opened = self._list_item(idx, ln, nn, ncol, indent, para_matched, matched)
            if opened is None:
                break
            offset, col = opened
            matched = len(stack)
            all_closed = True
            para_matched = False
            table_ok = idx + 1 < len(self.lines)
            nn, ncol = _nonspace(ln, offset, col)
            blank = nn >= n
            indent = ncol - col
        # 3. what is left is paragraph text
        if not all_closed and not blank and self.leaf == _PARA:
            self.para.append((idx, nn, indent))  # lazy continuation
        else:
            if self.leaf and not leaf_matched:
                self._close_leaf(idx - 1)
            if blank:
                if len(stack) > matched:
                    del stack[matched:]
                return
            if not self.leaf:
                if len(stack) > matched or (stack and stack[-1].kind == _LIST):
                    self._close_containers(matched)
                elif stack:
                    stack[-1].has_child = True
                self.leaf = _PARA
                self.leaf_start = idx
            self.para.append((idx, nn, indent))
        if "%%" in ln:
            self._check_comment()

    def _lazy_ends(self, ln: str, nn: int, matched: int) -> bool:
        """markdown-it's reading of an indented line that would be lazy text.

        When the first container it leaves is a list item, or it leaves two quotes, a
        block start on it ends them all (markdown-it checks it against the inner
        block's indent), and the line is then indented code for what it did continue.
        """
        left = self.stack[matched:]
        if left[0].kind == _ITEM:
            return _starts_block(ln, nn, False)
        if any(c.kind == _BQ for c in left[1:]):
            return _starts_block(ln, nn, True)
        return False
