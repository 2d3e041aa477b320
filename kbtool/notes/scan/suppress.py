"""Suppression comments (`kbtool-disable`, `-next-line`, `-file`): their codes and target.

One parser for every place a comment can be (`%%`, `<!-- -->` inline, in an HTML
block, over several lines), so that they all read the same.
"""

from __future__ import annotations

import re

from kbtool.model import Suppression

_SUPPRESS = re.compile(r"\s*kbtool-disable(-next-line|-file)?(?=\s|,|$)(.*)", re.DOTALL)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")


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
