"""`%%` comments that go on over several lines (Obsidian's comments).

A `%%` left open by a line's text swallows the lines after it until one closes it;
this state is apart from the block grammar, which it suspends. Finding out means
scanning the paragraph's text not yet scanned; when that opens no comment, what the
scan found stands if no later line can change it, else it is taken back (`_marks`,
`_rollback`) and the text is scanned again at the next check or when the paragraph ends.
"""

from __future__ import annotations

from kbtool.notes.scan.blockgrammar import _PARA, _TABLE
from kbtool.notes.scan.leaves import _Leaves
from kbtool.notes.scan.mdlinks import _links_settled
from kbtool.notes.scan.suppress import _suppression


class _Comments(_Leaves):
    """A `%%` comment open across lines."""

    __slots__ = ()

    def _check_comment(self) -> None:
        """Does the text so far leave a `%%` comment open? Then it runs on over the lines.

        When it does not, and nothing found in it could change with the lines still to
        come (`unsettled`, `_links_settled`), what was found stands and the next check
        starts after it: a paragraph of many lines with `%%` is read once, not once per
        line. Otherwise it is taken back, to be read again, while `reread_budget` lasts.
        """
        para = self.para
        run = para[self.run_from :]
        marks = self._marks()
        src, starts = self._run_src(run)
        self.unsettled = False
        opened = self._inline(src, run, starts, self.run_heading)
        if opened is None:
            if self.reread_budget >= len(src) and (self.unsettled or not _links_settled(src)):
                self.reread_budget -= len(src)
                self._rollback(marks)
            else:
                self.run_from = len(para)
            return
        self._enter_comment(src, opened, self.leaf == _PARA and len(para) == 1)
        self.run_from = len(para)

    def _enter_comment(self, src: str, opened: tuple[str, int], para_start: bool) -> None:
        closer, pos = opened
        self.comment_close = closer
        self.comment_at = self._where(pos)
        self.comment_parts = [src[pos + 2 :]]
        self.comment_from_para_start = para_start and pos == 0

    def _comment_line(self, idx: int, ln: str) -> None:
        closer = self.comment_close
        k = ln.find(closer)
        if k < 0:
            self.comment_parts.append(ln)
            return
        self.comment_parts.append(ln[:k])
        self.comment_close = ""
        line, col = self.comment_at
        self.regions.append(("comment", line, col, idx, k + len(closer)))
        content = "\n".join(self.comment_parts)
        self.comment_parts = []
        if "kbtool-disable" in content:
            sup = _suppression(content, self.base + line, col + 1, self.base + idx)
            if sup is not None:
                self.suppressions.append(sup)
        end = k + len(closer)
        if ln[end:].strip(" \t"):
            if self.leaf not in (_PARA, _TABLE):
                self._close_leaf(idx - 1)
                self.leaf = _PARA
                self.leaf_start = idx
            self.para.append((idx, end, 0))
            if "%%" in ln[end:]:
                self._check_comment()
        elif self.comment_from_para_start and self.leaf == _PARA:
            self.leaf = 0  # the paragraph was only this comment
            self.para = []
            self.run_from = 0

    def _marks(self) -> tuple[int, int, int, int, int]:
        return (
            len(self.links),
            len(self.tags),
            len(self.block_ids),
            len(self.suppressions),
            len(self.regions),
        )

    def _rollback(self, marks: tuple[int, int, int, int, int]) -> None:
        del self.links[marks[0] :]
        del self.tags[marks[1] :]
        del self.block_ids[marks[2] :]
        del self.suppressions[marks[3] :]
        del self.regions[marks[4] :]
