"""KB401 review-overdue: a note past its review date (off unless selected)."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding


@rule(
    "KB401",
    "review-overdue",
    "off",
    "a note past its review date",
    why="A note that is not reviewed goes stale; selected, this rule makes a CI job fail on it.",
    example=Example(
        bad=(
            "---\nlast_reviewed: 2024-01-01  # due 2024-01-31, today 2024-03-01\n"
            "review_interval: 30d\n---"
        ),
        good="---\nlast_reviewed: 2024-02-20\nreview_interval: 30d\n---",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A note is due its review_interval after last_reviewed (or after created when it
    was never reviewed); this reports every note whose due date is before today (the
    run's date, set with --today). Off by default: `kbtool review due` is the usual
    way to see the schedule."""
    from kbtool.review.schedule import ReviewPolicy

    policy = ReviewPolicy.from_config(ctx.config)
    for note in ctx.notes:
        item = policy.schedule(note, ctx.today)
        if item is None or item.overdue_days <= 0:
            continue
        pos = note.frontmatter.positions.get(item.basis)
        line, column = (pos.line, pos.column) if pos else (note.key_line(item.basis), 1)
        yield Finding(
            item.path,
            line,
            column,
            f"review overdue by {item.overdue_days} day{'s' if item.overdue_days != 1 else ''}"
            f" (due {item.due.isoformat()}: {item.reason()})",
        )
