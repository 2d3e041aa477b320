"""KB111 invalid-review-interval: a review_interval that is not a positive duration."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.notes.intervals import IntervalError, parse_interval
from kbtool.notes.properties import is_empty


@rule(
    "KB111",
    "invalid-review-interval",
    "error",
    "a `review_interval` that is not a positive duration",
    why=(
        "Zero, negative and unreadable intervals would never schedule a review; kbtool falls back"
        " to the vault's default interval instead."
    ),
    example=Example(
        bad="---\nreview_interval: -7\n---",
        good="---\nreview_interval: 30d\n---",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """review_interval must be a whole number of days, or 30d, 6w, 3m, 1y, or ISO 8601
    such as P30D.
    An empty value is fine: the vault's default interval applies."""

    for note in ctx.notes:
        value = note.meta.get("review_interval")
        if is_empty(value):
            continue
        try:
            parse_interval(value)
        except IntervalError as exc:
            message = f"review_interval: {exc}"
            yield Finding.at_key(note, "review_interval", message, value=True)
