"""Inline text and file positions: the text of a run of lines, and where an offset
in it is in the file.

The inline pass works on one string per paragraph; everything it finds is placed
back in the file through these methods.
"""

from __future__ import annotations

from bisect import bisect_right

from kbtool.model import Span
from kbtool.notes.scan.state import RegionKind, _State


class _Positions(_State):
    """Offsets in the text being scanned, as file lines and columns."""

    __slots__ = ()

    def _run_src(self, run: list[tuple[int, int, int]]) -> tuple[str, list[int] | None]:
        lines = self.lines
        if len(run) == 1:
            i, o, _ = run[0]
            return lines[i][o:], None
        parts = [lines[i][o:] for i, o, _ in run]
        starts = []
        at = 0
        for p in parts:
            starts.append(at)
            at += len(p) + 1
        return "\n".join(parts), starts

    def _where(self, pos: int) -> tuple[int, int]:
        """(line index, 0-based column) in the file of a position in the current text."""
        starts = self.cur_starts
        run = self.cur_run
        if starts is None:
            return run[0][0], run[0][1] + pos
        k = bisect_right(starts, pos) - 1
        return run[k][0], run[k][1] + pos - starts[k]

    def _span(self, a: int, b: int) -> Span:
        la, ca = self._where(a)
        if self.cur_starts is None:
            return Span(self.base + la, ca + 1, self.base + la, ca + 1 + b - a)
        lb, cb = self._where(b)
        return Span(self.base + la, ca + 1, self.base + lb, cb + 1)

    def _region(self, kind: RegionKind, a: int, b: int) -> None:
        """Region of src[a:b] (b exclusive)."""
        la, ca = self._where(a)
        lb, cb = self._where(b - 1)
        self.regions.append((kind, la, ca, lb, cb + 1))
