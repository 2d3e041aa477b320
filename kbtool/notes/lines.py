"""A note's text as lines, the way every line and column of kbtool counts them.

The parser, the fixer, the summaries, `show`'s snippets, the full output format
and the site all split a file the same way: a byte order mark is not part of the
first line, lines end at `\\n`, and a `\\r` before it is not part of the line.
"""

from __future__ import annotations

BOM = "\ufeff"


def decode(data: bytes) -> str:
    """A file's bytes as text for display; undecodable bytes become U+FFFD."""
    return data.decode("utf-8", errors="replace")


def split_lines(text: str) -> list[str]:
    """`text` as file lines: the BOM dropped, split at `\\n`, a trailing `\\r` dropped."""
    lines = text.removeprefix(BOM).split("\n")
    if "\r" in text:
        return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    return lines
