"""Inline Markdown links and images (`[text](dest "title")`): where they are in a text.

The bracket pairing follows markdown-it's label scan, so that what counts as a
link here is what the site renders as one; the scanner asks it once per text that
holds `](`.
"""

from __future__ import annotations

import re

from kbtool.base import work
from kbtool.notes.scan.codespans import _code_span_end
from kbtool.notes.scan.escapes import _escaped
from kbtool.notes.scan.htmlgrammar import HTML_TAG_RE

_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*"
    r"|[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>"
)
_DEST_PLAIN = re.compile(r"[^\x00-\x20()\\\x7f]*")


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
    return _pair_brackets(src)[0]


def _links_settled(src: str) -> bool:
    """Would text after `src` leave its links as they are? (No bracket left open, no
    code span, tag or destination that more text could complete.)"""
    return _pair_brackets(src)[1]


def _may_be_tag(src: str, i: int) -> bool:
    """Could the `<` at `i` open an HTML tag, so that text after `src` completes it?"""
    return i + 1 < len(src) and (src[i + 1].isalpha() or src[i + 1] in "/!?")


def _pair_brackets(src: str) -> tuple[dict[int, tuple[int, int, int, int]], bool]:
    """`_md_links`, and whether its answer is settled (`_links_settled`)."""
    found: dict[int, tuple[int, int, int, int]] = {}
    titles: dict[str, tuple[int, int]] = {}
    stack: list[list[int]] = []  # [position of `[`, holds a link]
    settled = True
    search = _BRACKET_STOP.search
    p = 0
    while True:
        m = search(src, p)
        if m is None:
            return found, settled and not stack
        p = m.start()
        c = src[p]
        if c == "\\":
            p += 2
        elif c == "`":
            run_end, span_end = _code_span_end(src, p)
            p = span_end if span_end > 0 else run_end
            settled = settled and span_end > 0
        elif c == "<":
            h = _AUTOLINK.match(src, p) or HTML_TAG_RE.match(src, p)
            settled = settled and (h is not None or not _may_be_tag(src, p))
            p = h.end() if h else p + 1
        elif c == "[":
            stack.append([p, 0])
            p += 1
        elif not stack:
            p += 1
        else:
            q, holds_link = stack.pop()
            image = q > 0 and src[q - 1] == "!" and not _escaped(src, q - 1)
            dest = _destination(src, p, titles) if image or not holds_link else None
            if dest is not None:
                found[q] = (p, *dest)
                p = dest[2]
                if not image and stack:
                    stack[-1][1] = 1
            else:
                settled = settled and src[p + 1 : p + 2] != "("
                p += 1
                if holds_link and stack:
                    stack[-1][1] = 1


def _destination(
    src: str, p: int, titles: dict[str, tuple[int, int]]
) -> tuple[int, int, int] | None:
    """After the `]` at `p`: `(dest "title")` -> (dest start, dest end, end), else None.

    `titles` remembers the title scans of this text for `_title_end`."""
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
        plain = _DEST_PLAIN.match(src, q)
        e = plain.end() if plain else q
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
        t = _title_end(src, r, close, titles)
        if t < n:
            r = _skip_ws(src, t + 1, n)
    if r >= n or src[r] != ")":
        return None
    return dest_start, dest_end, r + 1


def _title_end(src: str, r: int, close: str, titles: dict[str, tuple[int, int]]) -> int:
    """Where the title opened at `r` closes (`close` unescaped), or len(src).

    Each scan is remembered by its closing character as (from, end): a title opened
    at a position that scan passed (after white space, so not an escaped character)
    ends where it ended. Without that, `[a](b (x` repeated searches the rest of the
    text once for each link.
    """
    start, end = titles.get(close, (0, -1))
    if start <= r < end:
        return end
    n = len(src)
    t = r + 1
    while t < n and src[t] != close:
        t += 2 if src[t] == "\\" else 1
    work.steps += t - r
    titles[close] = (r, t)
    return t
