"""Code spans: where the backtick run at a position ends and where its span closes.

Kept apart because of its guard against quadratic work: a long text with many
unmatched backtick runs must not be searched again for each of them.
"""

from __future__ import annotations

import re

_BACKTICK_CLOSERS: dict[int, re.Pattern[str]] = {}


def _closer(length: int) -> re.Pattern[str]:
    pat = _BACKTICK_CLOSERS.get(length)
    if pat is None:
        pat = _BACKTICK_CLOSERS[length] = re.compile(rf"(?<!`)`{{{length}}}(?!`)")
    return pat


def _code_span_end(src: str, i: int) -> tuple[int, int]:
    """For the backtick run at `i`: (end of the run, end of the code span or -1)."""
    n = len(src)
    j = i + 1
    while j < n and src[j] == "`":
        j += 1
    if n > 512 and _last_runs(src).get(j - i, -1) < j:
        return j, -1  # no run this long after it: do not search a long text again and again
    m = _closer(j - i).search(src, j)
    return j, (m.end() if m else -1)


_RUNS_CACHE: list[tuple[str, dict[int, int]]] = [("", {})]


def _last_runs(src: str) -> dict[int, int]:
    """Where the last backtick run of each length starts in `src` (markdown-it's guard)."""
    cached = _RUNS_CACHE[0]
    if cached[0] is src:
        return cached[1]
    runs: dict[int, int] = {}
    for m in re.finditer(r"`+", src):
        runs[m.end() - m.start()] = m.start()
    _RUNS_CACHE[0] = (src, runs)
    return runs
