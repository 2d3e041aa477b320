"""Wiki-links and Markdown links: turn one found in the text into a `Link`.

Where the links are is the inline pass's job (and `mdlinks`'); this layer reads a
link's target, subpath and display and places it in the file.
"""

from __future__ import annotations

from sys import intern

from kbtool.base import work
from kbtool.model import Link, LinkKind, new_tuple
from kbtool.notes.linktext import decode_markdown_destination, has_scheme, split_wikilink
from kbtool.notes.scan.escapes import _UNESCAPE, _escaped
from kbtool.notes.scan.positions import _Positions


class _Links(_Positions):
    """Links of the text being scanned."""

    __slots__ = ()

    def _wikilink(self, src: str, i: int) -> int:
        """The `[[` at `i`: record its link; return where the inline pass goes on.

        The next `]]` and the next line end are remembered for the text (`wiki_close`,
        `wiki_newline`; -2 is not searched yet, -1 none left): the pass moves only
        forward, so `[[` repeated over a whole text searches it once, not once each.
        """
        k = self.wiki_close
        if k < i + 2 and k != -1:
            k = self.wiki_close = src.find("]]", i + 2)
            work.steps += (k if k >= 0 else len(src)) - i
        if k < 0:
            return i + 1
        if self.cur_starts is not None:  # the text holds line ends
            nl = self.wiki_newline
            if nl < i + 2 and nl != -1:
                nl = self.wiki_newline = src.find("\n", i + 2)
                work.steps += (nl if nl >= 0 else len(src)) - i
            if 0 <= nl < k:
                return i + 1
        nested = src.find("[[", i + 2, k)
        if nested >= 0:
            return nested  # `[[a [[b]]`: the inner one is the link
        path, subpath, display = split_wikilink(src[i + 2 : k])
        if not path and not subpath:
            return k + 2
        embed = i > 0 and src[i - 1] == "!" and not _escaped(src, i - 1)
        start = i - 1 if embed else i
        line, col = self._where(start)
        line += self.base
        kind: LinkKind = "embed" if embed else "link"
        raw = intern(src[start : k + 2])  # targets repeat across notes: each string kept once
        end_column = col + 1 + k + 2 - start
        self.links.append(
            new_tuple(
                Link,
                (
                    kind,
                    "wiki",
                    raw,
                    intern(path),
                    intern(subpath),
                    display,
                    line,
                    col + 1,
                    line,
                    end_column,
                    None,
                ),
            )
        )
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
            new_tuple(
                Link,
                (
                    "embed" if embed else "link",
                    "markdown",
                    intern(src[start:end]),
                    intern(path),
                    intern(subpath),
                    src[text_start:label_end],
                    *self._span(start, end),
                    None,
                ),
            )
        )
