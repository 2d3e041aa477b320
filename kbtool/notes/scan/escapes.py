"""Backslash escapes: which characters a backslash hides, and how to take it away.

Shared by the inline pass, the Markdown link finder and the link builder, which
must all agree on what is escaped.
"""

from __future__ import annotations

import re

_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_UNESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def _escaped(src: str, i: int) -> bool:
    """Is the character at `i` preceded by an odd number of backslashes?"""
    k = i - 1
    while k >= 0 and src[k] == "\\":
        k -= 1
    return (i - 1 - k) % 2 == 1
