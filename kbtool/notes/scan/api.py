"""`scan_body` and `scan_regions`, the scanner's entry points, and what they return.

Kept apart from the scanner so that callers see plain data and two functions, not
the state machine that fills them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbtool.model import BlockId, Heading, Link, Suppression, Tag
from kbtool.notes.scan.scanner import _Scanner
from kbtool.notes.scan.state import RegionKind


@dataclass(frozen=True, slots=True)
class BodyScan:
    headings: tuple[Heading, ...]
    block_ids: tuple[BlockId, ...]
    tags: tuple[Tag, ...]
    links: tuple[Link, ...]
    suppressions: tuple[Suppression, ...]


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


def table_lines(text: str, first_line: int = 1) -> frozenset[int]:
    """The file lines that are rows of a GFM table (header, delimiter and body rows).

    For fixers: a `|` written on such a line splits the cell, whether or not the row
    starts with `|`.
    """
    s = _Scanner(text, first_line)
    s.scan()
    return frozenset(first_line + i for start, end in s.tables for i in range(start, end + 1))


def _rk(r: tuple[str, int, int, int, int]) -> tuple[int, int]:
    return (r[1], r[2])
