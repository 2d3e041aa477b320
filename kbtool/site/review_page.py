"""The review page's data: what is due or overdue, and a 12-week chart drawn as inline SVG.

The chart needs no script: bars are `<rect>` elements whose size is in
attributes (a strict CSP blocks `style=`, not SVG geometry), coloured by CSS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kbtool.review.schedule import DueItem

WEEKS = 12
CHART_WIDTH, CHART_HEIGHT, BAR_GAP, LABEL_SPACE = 600, 160, 8, 34


@dataclass(frozen=True, slots=True)
class Bar:
    """One week of the chart: its first day, how many reviews fall in it, and its box."""

    start: dt.date
    count: int
    x: int
    y: int
    width: int
    height: int


def weekly_counts(items: list[DueItem], today: dt.date, weeks: int = WEEKS) -> list[int]:
    """How many reviews fall due in each of the next `weeks` weeks from `today` (overdue
    ones are not counted here: they are listed above the chart)."""
    counts = [0] * weeks
    for item in items:
        days = (item.due - today).days
        if 0 <= days < 7 * weeks:
            counts[days // 7] += 1
    return counts


def chart(counts: list[int], today: dt.date) -> list[Bar]:
    """The bars of the chart, scaled to the busiest week."""
    peak = max([*counts, 1])
    width = (CHART_WIDTH - BAR_GAP * (len(counts) - 1)) // max(len(counts), 1)
    usable = CHART_HEIGHT - LABEL_SPACE
    bars = []
    for i, count in enumerate(counts):
        height = round(usable * count / peak)
        x = i * (width + BAR_GAP)
        bars.append(
            Bar(today + dt.timedelta(weeks=i), count, x, usable - height + 16, width, height)
        )
    return bars
