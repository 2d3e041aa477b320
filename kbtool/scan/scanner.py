"""The body scanner: one pass over a note body that finds links, headings, block ids,
tags and suppression comments, with their file positions.

Why not markdown-it-py: a full parse costs 1-4 ms a note, and checking needs only
to know where code, math, comments and raw HTML are, so that nothing inside them
counts. This module follows CommonMark's block algorithm (the commonmark.js one:
match the open containers, try block starts, else lazy continuation) line by line,
as far as it decides where code, HTML blocks and headings are; Obsidian's `$$` math
blocks and `%%` comments are added to it. Regexes then run only over the text of
paragraphs, headings and table rows. tests/test_scan_agreement.py holds it against
markdown-it-py.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from markdown_it.common.html_blocks import block_names
from markdown_it.common.html_re import HTML_OPEN_CLOSE_TAG_STR, HTML_TAG_RE

from kbtool.linktext import decode_markdown_destination, has_scheme, split_wikilink
from kbtool.model import BlockId, Heading, Link, Span, Suppression, Tag


@dataclass(frozen=True, slots=True)
class BodyScan:
    headings: tuple[Heading, ...]
    block_ids: tuple[BlockId, ...]
    tags: tuple[Tag, ...]
    links: tuple[Link, ...]
    suppressions: tuple[Suppression, ...]


RegionKind = Literal["code", "math", "comment", "html"]


@dataclass(frozen=True, slots=True)
class Region:
    """Text that is code, math, a comment or raw HTML: nothing in it is a link or tag.

    File lines and columns, 1-based, end column exclusive, like `Span`; a block
    (a fence, an HTML block) runs from the start of its first line to the end of its last.
    """

    kind: RegionKind
    line: int
    column: int
    end_line: int
    end_column: int


def scan_body(text: str, first_line: int = 1) -> BodyScan:
    """Links, headings, block ids, tags and suppressions of a note body, with file positions.

    `text` is the note body (everything after the frontmatter; may contain \r\n line
    ends — treat \r\n as a line end and never count \r in columns); `first_line` is the
    file line number of the body's first line.
    """
    s = _Scanner(text, first_line)
    s.scan()
    # one pass in line order: each list is already in the order of positions
    return BodyScan(
        tuple(s.headings),
        tuple(s.block_ids),
        tuple(s.tags),
        tuple(s.links),
        tuple(s.suppressions),
    )


def scan_regions(text: str, first_line: int = 1) -> tuple[Region, ...]:
    """Where the scanner saw code, math, comments and raw HTML, in order of their start.

    For tools that must not touch such text (fixers) and for the tests that hold
    the scanner against markdown-it-py.
    """
    s = _Scanner(text, first_line)
    s.scan()
    return tuple(
        Region(kind, first_line + a, ca + 1, first_line + b, cb + 1)
        for kind, a, ca, b, cb in sorted(s.regions, key=_rk)
    )


def _rk(r: tuple[str, int, int, int, int]) -> tuple[int, int]:
    return (r[1], r[2])


# ---------------------------------------------------------------------------
# Block-level grammar (CommonMark 0.31, plus Obsidian's $$ blocks)

_MAYBE_SPECIAL = frozenset("#`~*+_=<>-0123456789$|:")
_PLAIN_STOP = _MAYBE_SPECIAL | {" ", "\t"}
_ATX = re.compile(r"#{1,6}(?=[ \t]|$)")
_FENCE_OPEN = re.compile(r"`{3,}(?=[^`]*$)|~{3,}")
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ \t]*$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_HRULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$")
_ORDERED = re.compile(r"(\d{1,9})[.)]")
_DELIM_CELL = re.compile(r":?-+:?")

_HTML_OPEN: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = (
    (
        re.compile(r"<(?:script|pre|style|textarea)(?=[ \t>]|$)", re.IGNORECASE),
        re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE),
    ),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
    (
        re.compile(r"</?(?:" + "|".join(block_names) + r")(?=[ \t]|/?>|$)", re.IGNORECASE),
        None,
    ),
    (re.compile(HTML_OPEN_CLOSE_TAG_STR.removeprefix("^") + r"[ \t]*$"), None),
)

# Leaf kinds
_PARA, _FENCE, _ICODE, _HTML, _MATH, _TABLE = 1, 2, 3, 4, 5, 6
# Container kinds
_BQ, _LIST, _ITEM = 1, 2, 3


class _Container:
    __slots__ = ("has_child", "kind", "marker", "width")

    def __init__(self, kind: int, width: int = 0, marker: str = "") -> None:
        self.kind = kind
        self.width = width  # list item: columns its content is indented by
        self.marker = marker  # list: the bullet or the ordered delimiter
        self.has_child = False


def _nonspace(ln: str, offset: int, col: int) -> tuple[int, int]:
    """The first character that is not a space or tab at or after `offset`, and its column."""
    n = len(ln)
    while offset < n:
        c = ln[offset]
        if c == " ":
            col += 1
        elif c == "\t":
            col += 4 - col % 4
        else:
            break
        offset += 1
    return offset, col


def _advance(ln: str, offset: int, col: int, count: int) -> tuple[int, int]:
    """Move `count` columns on, consuming part of a tab when it is wider than what is left."""
    n = len(ln)
    while count > 0 and offset < n:
        if ln[offset] == "\t":
            to_tab = 4 - col % 4
            if to_tab > count:
                return offset, col + count
            col += to_tab
            count -= to_tab
        else:
            col += 1
            count -= 1
        offset += 1
    return offset, col


def _match(stack: list[_Container], depth: int, ln: str) -> tuple[int, int, int]:
    """How many of the first `depth` containers `ln` continues, and where their content starts."""
    n = len(ln)
    offset = col = matched = 0
    while matched < depth:
        c = stack[matched]
        if c.kind == _BQ:
            # markdown-it continues a quote at any indent (CommonMark: up to 3)
            nn, ncol = _nonspace(ln, offset, col)
            if nn < n and ln[nn] == ">":
                offset, col = nn + 1, ncol + 1
                if offset < n and ln[offset] in " \t":
                    offset, col = _advance(ln, offset, col, 1)
            else:
                break
        elif c.kind == _ITEM:
            if offset < n and ln[offset] not in " \t":
                break  # not blank, not indented: not inside the item
            nn, ncol = _nonspace(ln, offset, col)
            if nn >= n:
                if not c.has_child:
                    break
                offset, col = nn, ncol
            elif ncol - col >= c.width:
                offset, col = _advance(ln, offset, col, c.width)
            else:
                break
        matched += 1
    return matched, offset, col


def _starts_block(ln: str, nn: int, lists: bool) -> bool:
    """Would a block that can end a paragraph start at `nn`? (tables aside)"""
    ch = ln[nn]
    if ch == ">":
        return True
    if ch == "#":
        return _ATX.match(ln, nn) is not None
    if ch in "`~":
        return _FENCE_OPEN.match(ln, nn) is not None
    if ch == "<":
        return any(op.match(ln, nn) for op, _ in _HTML_OPEN[:6])
    if ch in "*-_" and _HRULE.match(ln, nn):
        return True
    if not lists:
        return False
    if ch in "*+-":
        after = nn + 1
    elif "0" <= ch <= "9":
        m = _ORDERED.match(ln, nn)
        if m is None:
            return False
        after = m.end()
    else:
        return False
    return after >= len(ln) or ln[after] in " \t"


def _plain_item(ln: str) -> bool:
    """`- text` whose text starts no block of its own (no nested list, quote, code, ...)."""
    if len(ln) < 3:
        return False
    ch = ln[2]
    if ch not in _MAYBE_SPECIAL:
        return ch not in " \t"
    if ch in "*+-_":
        return ln[3:4] not in ("", " ", "\t") and not _HRULE.match(ln, 2)
    return ch in "=:"


def _table_cells(row: str) -> int:
    """How many cells a table header row has (markdown-it's escapedSplit)."""
    cells = re.split(r"(?<!\\)\|", row.strip(" \t"))
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return len(cells)


def _delimiter_cells(row: str) -> int:
    """Cells of a table delimiter row (`|---|:--:|`), or 0 when it is not one."""
    if len(row) < 2 or row[0] not in "|-:":
        return 0
    second = row[1]
    if second not in "|-: \t" or (row[0] == "-" and second in " \t"):
        return 0
    if row.strip("|-: \t"):
        return 0
    count = 0
    cells = row.split("|")
    last = len(cells) - 1
    for i, cell in enumerate(cells):
        cell = cell.strip(" \t")
        if not cell:
            if i in (0, last):
                continue
            return 0
        if not _DELIM_CELL.fullmatch(cell):
            return 0
        count += 1
    return count


# ---------------------------------------------------------------------------
# Inline grammar

_SPECIAL = re.compile(r"[`\\<%$\[#^]")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_TAG_BODY = re.compile(
    r"[^\s\u2000-\u200c\u200e-\u206f\u2e00-\u2e7f'!\"#$%&()*+,.:;<=>?@^`{|}~\[\]\\]+"
)
_BLOCK_ID = re.compile(r"\^([A-Za-z0-9-]+)[ \t]*(?=\n|\Z)")
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*"
    r"|[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>"
)
_DEST_PLAIN = re.compile(r"[^\x00-\x20()\\\x7f]*")
_SUPPRESS = re.compile(r"\s*kbtool-disable(-next-line|-file)?(?=\s|,|$)(.*)", re.DOTALL)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")
_BACKTICK_CLOSERS: dict[int, re.Pattern[str]] = {}
_UNESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def _closer(length: int) -> re.Pattern[str]:
    pat = _BACKTICK_CLOSERS.get(length)
    if pat is None:
        pat = _BACKTICK_CLOSERS[length] = re.compile(rf"(?<!`)`{{{length}}}(?!`)")
    return pat


def _code_span_end(src: str, i: int) -> tuple[int, int]:
    """For the backtick run at `i`: (end of the run, end of the code span or -1)."""
    n = len(src)
    j = i + 1
    while j < n and src[j] == "`":
        j += 1
    if n > 512 and _last_runs(src).get(j - i, -1) < j:
        return j, -1  # no run this long after it: do not search a long text again and again
    m = _closer(j - i).search(src, j)
    return j, (m.end() if m else -1)


_RUNS_CACHE: list[tuple[str, dict[int, int]]] = [("", {})]


def _last_runs(src: str) -> dict[int, int]:
    """Where the last backtick run of each length starts in `src` (markdown-it's guard)."""
    cached = _RUNS_CACHE[0]
    if cached[0] is src:
        return cached[1]
    runs: dict[int, int] = {}
    for m in re.finditer(r"`+", src):
        runs[m.end() - m.start()] = m.start()
    _RUNS_CACHE[0] = (src, runs)
    return runs


def _escaped(src: str, i: int) -> bool:
    """Is the character at `i` preceded by an odd number of backslashes?"""
    k = i - 1
    while k >= 0 and src[k] == "\\":
        k -= 1
    return (i - 1 - k) % 2 == 1


def _skip_ws(src: str, q: int, n: int) -> int:
    while q < n and src[q] in " \t\n":
        q += 1
    return q


_BRACKET_STOP = re.compile(r"[\[\]\\`<]")


def _md_links(src: str) -> dict[int, tuple[int, int, int, int]]:
    """The inline Markdown links and images in `src`, by the position of their `[`:
    (label end, destination start, destination end, end).

    One pass pairs the brackets as markdown-it's label scan does (escapes, code
    spans and HTML tags hide brackets); a link whose text holds a link is no link
    (the inner one wins), an image's text may hold links.
    """
    found: dict[int, tuple[int, int, int, int]] = {}
    stack: list[list[int]] = []  # [position of `[`, holds a link]
    search = _BRACKET_STOP.search
    p = 0
    while True:
        m = search(src, p)
        if m is None:
            return found
        p = m.start()
        c = src[p]
        if c == "\\":
            p += 2
        elif c == "`":
            run_end, span_end = _code_span_end(src, p)
            p = span_end if span_end > 0 else run_end
        elif c == "<":
            h = _AUTOLINK.match(src, p) or HTML_TAG_RE.match(src, p)
            p = h.end() if h else p + 1
        elif c == "[":
            stack.append([p, 0])
            p += 1
        elif not stack:
            p += 1
        else:
            q, holds_link = stack.pop()
            image = q > 0 and src[q - 1] == "!" and not _escaped(src, q - 1)
            dest = _destination(src, p) if image or not holds_link else None
            if dest is not None:
                found[q] = (p, *dest)
                p = dest[2]
                if not image and stack:
                    stack[-1][1] = 1
            else:
                p += 1
                if holds_link and stack:
                    stack[-1][1] = 1


def _destination(src: str, p: int) -> tuple[int, int, int] | None:
    """After the `]` at `p`: `(dest "title")` -> (dest start, dest end, end), else None."""
    n = len(src)
    if p + 1 >= n or src[p + 1] != "(":
        return None
    q = _skip_ws(src, p + 2, n)
    dest_start = q
    if q < n and src[q] == "<":
        e = q + 1
        while e < n and src[e] not in "<>\n":
            e += 2 if src[e] == "\\" else 1
        if e >= n or src[e] != ">":
            return None
        dest_end = q = e + 1
    else:
        level = 0
        e = _DEST_PLAIN.match(src, q).end()
        while e < n:
            c = src[e]
            if c <= " " or c == "\x7f":
                break
            if c == "\\" and e + 1 < n:
                if src[e + 1] == " ":
                    break
                e += 2
                continue
            if c == "(":
                level += 1
                if level > 32:
                    return None
            elif c == ")":
                if level == 0:
                    break
                level -= 1
            e += 1
        if level:
            return None
        dest_end = q = e
    r = _skip_ws(src, q, n)
    if r > q and r < n and src[r] in "\"'(":
        close = ")" if src[r] == "(" else src[r]
        t = r + 1
        while t < n and src[t] != close:
            t += 2 if src[t] == "\\" else 1
        if t < n:
            r = _skip_ws(src, t + 1, n)
    if r >= n or src[r] != ")":
        return None
    return dest_start, dest_end, r + 1


def _suppression(content: str, line: int, col: int, end_line: int) -> Suppression | None:
    m = _SUPPRESS.match(content)
    if m is None:
        return None
    codes: list[str] = []
    for word in re.split(r"[\s,]+", m.group(2).strip()):
        if not _CODE.fullmatch(word):
            break  # the rest is the author's reason
        codes.append(word.upper())
    target = end_line + 1 if m.group(1) == "-next-line" else 0
    return Suppression(tuple(codes), line, col, target)


# ---------------------------------------------------------------------------


class _Scanner:
    """State of one pass over a body. Line indexes are 0-based; `base` makes them file lines.

    The open leaf block is `leaf` (one of the leaf kinds, 0 for none). A paragraph or
    table keeps its lines in `para` as (line, content offset, indent); the ones from
    `run_from` on are inline text not scanned yet. The hot paths are written out in
    `_line` on purpose: a call costs as much as the work on a typical line.
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
        "run_from",
        "run_heading",
        "stack",
        "suppressions",
        "tags",
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
        self.regions: list[tuple[str, int, int, int, int]] = []
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

    # -- leaves and containers ----------------------------------------------

    def _close_leaf(self, end: int) -> None:
        """Finish the open leaf block; `end` is its last line."""
        leaf = self.leaf
        if not leaf:
            return
        self.leaf = 0
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

    def _block_region(self, kind: str, end: int) -> None:
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
        self.headings.append(Heading(level, text, self.base + idx, col + 1, parents))
        hs.append((level, (*parents, text)))

    # -- one line -----------------------------------------------------------

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
            item = self._list_item(idx, ln, nn, ncol, indent, para_matched, matched)
            if item is None:
                break
            offset, col = item
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

    # -- block starts that need more than a regex ---------------------------

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

    # -- %% comments that go on over several lines ---------------------------

    def _check_comment(self) -> None:
        """Does the text so far leave a `%%` comment open? Then it runs on over the lines."""
        para = self.para
        run = para[self.run_from :]
        marks = self._marks()
        src, starts = self._run_src(run)
        opened = self._inline(src, run, starts, self.run_heading)
        if opened is None:
            self._rollback(marks)
            return
        self._enter_comment(src, opened, self.leaf == _PARA and len(para) == 1)
        self.run_from = len(para)

    def _enter_comment(self, src: str, opened: tuple[str, int], para_start: bool) -> None:
        closer, pos = opened
        self.comment_close = closer
        self.comment_at = self._where(pos)
        self.comment_parts = [src[pos + 2 :]]
        self.comment_from_para_start = para_start and pos == 0

    def _comment_line(self, idx: int, ln: str) -> None:
        closer = self.comment_close
        k = ln.find(closer)
        if k < 0:
            self.comment_parts.append(ln)
            return
        self.comment_parts.append(ln[:k])
        self.comment_close = ""
        line, col = self.comment_at
        self.regions.append(("comment", line, col, idx, k + len(closer)))
        content = "\n".join(self.comment_parts)
        self.comment_parts = []
        if "kbtool-disable" in content:
            sup = _suppression(content, self.base + line, col + 1, self.base + idx)
            if sup is not None:
                self.suppressions.append(sup)
        end = k + len(closer)
        if ln[end:].strip(" \t"):
            if self.leaf not in (_PARA, _TABLE):
                self._close_leaf(idx - 1)
                self.leaf = _PARA
                self.leaf_start = idx
            self.para.append((idx, end, 0))
            if "%%" in ln[end:]:
                self._check_comment()
        elif self.comment_from_para_start and self.leaf == _PARA:
            self.leaf = 0  # the paragraph was only this comment
            self.para = []
            self.run_from = 0

    # -- inline pass ----------------------------------------------------------

    def _flush_run(self) -> None:
        """Scan the paragraph or table text not scanned yet."""
        run = self.para[self.run_from :]
        self.run_from = len(self.para)
        if not run:
            return
        src, starts = self._run_src(run)
        opened = self._inline(src, run, starts, self.run_heading)
        if opened is not None:  # unclosed where the text ends: a comment to its end
            line, col = self._where(opened[1])
            last = run[-1][0]
            self.regions.append(("comment", line, col, last, len(self.lines[last])))

    def _run_src(self, run: list[tuple[int, int, int]]) -> tuple[str, list[int] | None]:
        lines = self.lines
        if len(run) == 1:
            i, o, _ = run[0]
            return lines[i][o:], None
        parts = [lines[i][o:] for i, o, _ in run]
        starts = []
        at = 0
        for p in parts:
            starts.append(at)
            at += len(p) + 1
        return "\n".join(parts), starts

    def _marks(self) -> tuple[int, int, int, int, int]:
        return (
            len(self.links),
            len(self.tags),
            len(self.block_ids),
            len(self.suppressions),
            len(self.regions),
        )

    def _rollback(self, marks: tuple[int, int, int, int, int]) -> None:
        del self.links[marks[0] :]
        del self.tags[marks[1] :]
        del self.block_ids[marks[2] :]
        del self.suppressions[marks[3] :]
        del self.regions[marks[4] :]

    def _where(self, pos: int) -> tuple[int, int]:
        """(line index, 0-based column) in the file of a position in the current text."""
        starts = self.cur_starts
        run = self.cur_run
        if starts is None:
            return run[0][0], run[0][1] + pos
        k = bisect_right(starts, pos) - 1
        return run[k][0], run[k][1] + pos - starts[k]

    def _span(self, a: int, b: int) -> Span:
        la, ca = self._where(a)
        if self.cur_starts is None:
            return Span(self.base + la, ca + 1, self.base + la, ca + 1 + b - a)
        lb, cb = self._where(b)
        return Span(self.base + la, ca + 1, self.base + lb, cb + 1)

    def _region(self, kind: str, a: int, b: int) -> None:
        """Region of src[a:b] (b exclusive)."""
        la, ca = self._where(a)
        lb, cb = self._where(b - 1)
        self.regions.append((kind, la, ca, lb, cb + 1))

    def _inline(
        self,
        src: str,
        run: list[tuple[int, int, int]],
        starts: list[int] | None,
        heading: bool,
        first: int = -1,
    ) -> tuple[str, int] | None:
        """Scan one text; return (closer, position) of a `%%` comment it leaves open.

        `first` is where the first character that may start something is, when known.
        """
        self.cur_run = run
        self.cur_starts = starts
        n = len(src)
        pos = 0
        label_end = n + 1  # inside a Markdown link's text: where that text ends
        link_end = 0
        md_links: dict[int, tuple[int, int, int, int]] | None = None
        search = _SPECIAL.search
        while True:
            if first >= 0:
                i = first
                first = -1
            else:
                m = search(src, pos)
                if m is None:
                    return None
                i = m.start()
            if i >= label_end:
                label_end = n + 1
                if link_end > pos:
                    pos = link_end
                    continue
            c = src[i]
            if c == "[":
                if i + 1 < n and src[i + 1] == "[":
                    pos = self._wikilink(src, i)
                    continue
                if md_links is None:
                    md_links = _md_links(src) if "](" in src else {}
                got = md_links.get(i)
                if got is None:
                    pos = i + 1
                    continue
                lab, ds, de, end = got
                embed = i > 0 and src[i - 1] == "!" and not _escaped(src, i - 1)
                self._markdown_link(src, i - 1 if embed else i, lab, ds, de, end, embed)
                if embed or label_end <= n:
                    pos = end
                else:
                    pos = i + 1
                    label_end = lab
                    link_end = end
            elif c == "#":
                pos = i + 1
                if i == 0 or src[i - 1].isspace():
                    t = _TAG_BODY.match(src, i + 1)
                    if t:
                        name = t.group()
                        if not (name.isdigit() and name.isascii()):  # `#1984` is no tag
                            line, col = self._where(i)
                            self.tags.append(Tag(name, self.base + line, col + 1))
                            pos = t.end()
            elif c == "`":
                run_end, span_end = _code_span_end(src, i)
                if span_end < 0:
                    pos = run_end
                else:
                    self._region("code", i, span_end)
                    pos = span_end
            elif c == "\\":
                pos = i + 2 if i + 1 < n and src[i + 1] in _ASCII_PUNCT else i + 1
            elif c == "^":
                pos = i + 1
                if not heading and (i == 0 or src[i - 1] in " \t\n"):
                    b = _BLOCK_ID.match(src, i)
                    if b:
                        line, col = self._where(i)
                        self.block_ids.append(BlockId(b.group(1), self.base + line, col + 1))
                        pos = b.end()
            elif c == "%":
                if i + 1 < n and src[i + 1] == "%":
                    k = src.find("%%", i + 2)
                    if k < 0:
                        return ("%%", i)
                    self._comment(src, i, i + 2, k, k + 2)
                    pos = k + 2
                else:
                    pos = i + 1
            elif c == "<":
                pos = self._angle(src, i)
            else:  # "$"
                pos = self._math(src, i, n)

    def _angle(self, src: str, i: int) -> int:
        """An HTML comment, autolink or tag at `i` is opaque; return where to go on."""
        h = _AUTOLINK.match(src, i) or HTML_TAG_RE.match(src, i)
        if h is None:
            return i + 1  # `<!--` too: no comment unless it is closed in its paragraph
        end = h.end()
        if src.startswith("<!--", i):  # markdown-it-py's rule, so the site agrees
            self._comment(src, i, i + 4, max(end - 3, i + 4), end)
        return end

    def _math(self, src: str, i: int, n: int) -> int:
        """Skip `$...$` or `$$...$$` at `i` (Obsidian's rules); return where to go on."""
        if i + 1 < n and src[i + 1] == "$":
            k = src.find("$$", i + 2)
            if k > i + 2:
                self._region("math", i, k + 2)
                return k + 2
            return i + 2
        if i + 1 >= n or src[i + 1] in " \t\n":
            return i + 1
        k = src.find("$", i + 1)
        while k >= 0 and _escaped(src, k):
            k = src.find("$", k + 1)
        if k < 0 or src[k - 1] in " \t\n" or (k + 1 < n and src[k + 1].isdigit()):
            return i + 1
        self._region("math", i, k + 1)
        return k + 1

    def _comment(self, src: str, i: int, a: int, b: int, end: int) -> None:
        """A comment at `i` whose content is src[a:b] and which ends before `end`."""
        self._region("comment", i, end)
        content = src[a:b]
        if "kbtool-disable" in content:
            line, col = self._where(i)
            end_line = self._where(end - 1)[0]
            sup = _suppression(content, self.base + line, col + 1, self.base + end_line)
            if sup is not None:
                self.suppressions.append(sup)

    def _wikilink(self, src: str, i: int) -> int:
        k = src.find("]]", i + 2)
        if k < 0 or src.find("\n", i + 2, k) >= 0:
            return i + 1
        inner = src[i + 2 : k]
        nested = inner.find("[[")
        if nested >= 0:
            return i + 2 + nested  # `[[a [[b]]`: the inner one is the link
        path, subpath, display = split_wikilink(inner)
        if not path and not subpath:
            return k + 2
        embed = i > 0 and src[i - 1] == "!" and not _escaped(src, i - 1)
        start = i - 1 if embed else i
        line, col = self._where(start)
        line += self.base
        span = Span(line, col + 1, line, col + 1 + k + 2 - start)
        kind = "embed" if embed else "link"
        self.links.append(Link(kind, "wiki", src[start : k + 2], path, subpath, display, span))
        return k + 2

    def _markdown_link(
        self, src: str, start: int, label_end: int, ds: int, de: int, end: int, embed: bool
    ) -> None:
        dest = src[ds:de]
        if dest.startswith("<"):
            dest = dest[1:-1]
        if "\\" in dest:
            dest = _UNESCAPE.sub(r"\1", dest)
        if not dest.strip() or has_scheme(dest):
            return
        head, hash_, tail = dest.partition("#")
        path = decode_markdown_destination(head) if "%" in head else head.strip()
        if hash_:
            tail = decode_markdown_destination(tail) if "%" in tail else tail.strip()
            subpath = "#" + tail if tail else ""
        else:
            subpath = ""
        if not path and not subpath:
            return
        text_start = start + (2 if embed else 1)
        self.links.append(
            Link(
                "embed" if embed else "link",
                "markdown",
                src[start:end],
                path,
                subpath,
                src[text_start:label_end],
                self._span(start, end),
            )
        )
