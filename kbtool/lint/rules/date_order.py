"""KB105 date-order: a date that comes before the note was created."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.notes.dates import as_date


@rule(
    "KB105",
    "date-order",
    "warning",
    "`modified`, `updated` or `last_reviewed` before `created`",
    why="One of the two dates is wrong, and the review schedule and the index order notes by them.",
    example=Example(
        bad="---\ncreated: 2024-05-01\nmodified: 2024-04-01\n---",
        good="---\ncreated: 2024-04-01\nmodified: 2024-05-01\n---",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A note whose modified, updated or last_reviewed date is earlier than its created
    date. Compared by calendar date."""
    for note in ctx.notes:
        meta = note.meta
        created = as_date(meta.get("created"))
        if created is None:
            continue
        for key in ("modified", "updated", "last_reviewed"):
            value = as_date(meta.get(key))
            if value is not None and value < created:
                message = f"'{key}' {value.isoformat()} is before 'created' {created.isoformat()}"
                yield Finding.at_key(note, key, message, value=True)
