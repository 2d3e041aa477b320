"""Block-level grammar (CommonMark 0.31, plus Obsidian's `$$` blocks): the regexes and
small tests that say whether a block starts on a line, and the kinds of leaf block.

Pure functions and constants, shared by the line pass and the block starts, so that
the grammar can be read apart from the state machine that uses it.
"""

from __future__ import annotations

import re

from kbtool.notes.scan.htmlgrammar import BLOCK_NAMES as block_names
from kbtool.notes.scan.htmlgrammar import HTML_OPEN_CLOSE_TAG_STR

_MAYBE_SPECIAL = frozenset("#`~*+_=<>-0123456789$|:")
_PLAIN_STOP = _MAYBE_SPECIAL | {" ", "\t"}
_ATX = re.compile(r"#{1,6}(?=[ \t]|$)")
_FENCE_OPEN = re.compile(r"`{3,}(?=[^`]*$)|~{3,}")
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ \t]*$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_HRULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$")
_ORDERED = re.compile(r"(\d{1,9})[.)]")

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
