"""KB107 title-mismatch: the title property differs from the file name."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.notes.properties import is_note_type


@rule(
    "KB107",
    "title-mismatch",
    "warning",
    "`title` differs from the file name",
    why=(
        "Links use file names, so a title that has drifted from the name misleads readers of the "
        "index and of links."
    ),
    example=Example(
        bad="Kube-proxy.md:\n---\ntitle: Kube proxy\ntype: Fact\n---",
        good="Kube-proxy.md:\n---\ntitle: Kube-proxy\ntype: Fact\n---",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A typed note whose title property is not its file name.
    Turn off with [schema] title_matches_filename = false."""

    if not ctx.config.schema.title_matches_filename:
        return
    for note in ctx.notes:
        title, kind = note.meta.get("title"), note.meta.get("type")
        if not isinstance(title, str) or not title.strip() or not is_note_type(kind):
            continue
        if unicodedata.normalize("NFC", title.strip()) != note.name:
            message = f"title {title.strip()!r} differs from the file name {note.name!r}"
            yield Finding.at_key(note, "title", message, value=True)
