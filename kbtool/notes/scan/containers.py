"""Container blocks (block quotes, lists, list items): their kinds, the open-container
record, and how a line continues the open ones.

The column arithmetic (tabs count to the next multiple of 4, and can be consumed in
part) is here with them: it measures where a container's content starts.
"""

from __future__ import annotations

from kbtool.base import work

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
    start = offset
    while offset < n:
        c = ln[offset]
        if c == " ":
            col += 1
        elif c == "\t":
            col += 4 - col % 4
        else:
            break
        offset += 1
    work.steps += offset - start
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
    """How many of the first `depth` containers `ln` continues, and where their content starts.

    Linear in the line, however deep the nesting: the run of white space found from one
    offset is reused by the containers after it (every offset inside the run has the
    same first non-space character), so a line indented 2,000 columns under 1,000 list
    items is scanned once, not once per item. A run holding a tab is measured again,
    since a tab's width depends on the column it starts at.
    """
    n = len(ln)
    offset = col = matched = 0
    run_from = run_to = -1  # [run_from, run_to): spaces only; run_to: first non-space
    while matched < depth:
        c = stack[matched]
        if run_from <= offset <= run_to:
            nn, ncol = run_to, col + (run_to - offset)
        else:
            nn, ncol = _nonspace(ln, offset, col)
            run_from, run_to = (offset, nn) if "\t" not in ln[offset:nn] else (-1, -1)
        if c.kind == _BQ:
            # markdown-it continues a quote at any indent (CommonMark: up to 3)
            if nn < n and ln[nn] == ">":
                offset, col = nn + 1, ncol + 1
                if offset < n and ln[offset] in " \t":
                    offset, col = _advance(ln, offset, col, 1)
            else:
                break
        elif c.kind == _ITEM:
            if offset < n and ln[offset] not in " \t":
                break  # not blank, not indented: not inside the item
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
