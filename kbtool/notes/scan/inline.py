"""The inline pass: one regex-driven walk over a paragraph's, heading's or table's text
that finds tags, block ids and links and skips code spans, math, comments and HTML.

Its hot loop (`_inline`) is written out on purpose: tags and block ids are found in
it, not in calls, since a call costs as much as the work on a typical text.
"""

from __future__ import annotations

import re
from sys import intern

from kbtool.base import work
from kbtool.model import BlockId, Tag, new_tuple
from kbtool.notes.scan.codespans import _code_span_end
from kbtool.notes.scan.escapes import _ASCII_PUNCT, _escaped
from kbtool.notes.scan.htmlgrammar import HTML_TAG_RE
from kbtool.notes.scan.links import _Links
from kbtool.notes.scan.mdlinks import _AUTOLINK, _may_be_tag, _md_links
from kbtool.notes.scan.suppress import _suppression

_SPECIAL = re.compile(r"[`\\<%$\[#^]")
_TAG_BODY = re.compile(
    r"[^\s\u2000-\u200c\u200e-\u206f\u2e00-\u2e7f'!\"#$%&()*+,.:;<=>?@^`{|}~\[\]\\]+"
)
_BLOCK_ID = re.compile(r"\^([A-Za-z0-9-]+)[ \t]*(?=\n|\Z)")


class _InlinePass(_Links):
    """Inline text: what it holds, and the comment it may leave open."""

    __slots__ = ()

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
        self.wiki_close = self.wiki_newline = -2
        n = len(src)
        work.steps += n
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
                            tag = (intern(name), self.base + line, col + 1)
                            self.tags.append(new_tuple(Tag, tag))
                            pos = t.end()
            elif c == "`":
                run_end, span_end = _code_span_end(src, i)
                if span_end < 0:
                    self.unsettled = True
                    pos = run_end
                else:
                    self._region("code", i, span_end)
                    pos = span_end
            elif c == "\\":
                pos = i + 2 if i + 1 < n and src[i + 1] in _ASCII_PUNCT else i + 1
            elif c == "^":
                pos = i + 1
                if not heading and (i == 0 or src[i - 1] in " \t\n" or self._after_link(src, i)):
                    b = _BLOCK_ID.match(src, i)
                    if b:
                        line, col = self._where(i)
                        block = (b.group(1), self.base + line, col + 1)
                        self.block_ids.append(new_tuple(BlockId, block))
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

    def _after_link(self, src: str, i: int) -> bool:
        """Does a link or embed end right before `i`? `![[diagram.png]]^diagram` ends with
        the block id `diagram` (Obsidian needs no space after an inline element)."""
        if src[i - 1] not in "])" or not self.links:
            return False
        line, col = self._where(i)
        last = self.links[-1]
        return (last.end_line, last.end_column) == (self.base + line, col + 1)

    def _angle(self, src: str, i: int) -> int:
        """An HTML comment, autolink or tag at `i` is opaque; return where to go on."""
        h = _AUTOLINK.match(src, i) or HTML_TAG_RE.match(src, i)
        if h is None:
            if _may_be_tag(src, i):
                self.unsettled = True
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
            self.unsettled = self.unsettled or k < 0
            return i + 2
        if i + 1 >= n or src[i + 1] in " \t\n":
            return i + 1
        k = src.find("$", i + 1)
        while k >= 0 and _escaped(src, k):
            k = src.find("$", k + 1)
        if k < 0 or src[k - 1] in " \t\n" or (k + 1 < n and src[k + 1].isdigit()):
            self.unsettled = self.unsettled or k < 0
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
