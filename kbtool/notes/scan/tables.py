"""Table rows (GFM, as markdown-it reads them): cells of a header row and of a
delimiter row.

A line with `|` starts a table only over a delimiter row with as many cells; these
two counts are that test, apart from the scanner's state.
"""

from __future__ import annotations

import re

_DELIM_CELL = re.compile(r":?-+:?")


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
