"""KB106 date-in-future: a date property after today."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.notes.dates import DATE_FIELDS, as_date


@rule(
    "KB106",
    "date-in-future",
    "warning",
    "a date after today",
    why=(
        "It is usually a typo in the year or month, and it puts the note at the wrong end of "
        "every list sorted by date."
    ),
    example=Example(
        bad="---\ncreated: 2042-03-01\n---",
        good="---\ncreated: 2024-03-01\n---",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A created, modified, updated or last_reviewed date later than today (the run's
    date, set with --today)."""
    for note in ctx.notes:
        for key in DATE_FIELDS:
            value = as_date(note.meta.get(key))
            if value is not None and value > ctx.today:
                message = f"'{key}' {value.isoformat()} is after today ({ctx.today.isoformat()})"
                yield Finding.at_key(note, key, message, value=True)
