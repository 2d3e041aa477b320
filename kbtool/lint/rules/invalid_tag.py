"""KB109 invalid-tag: a frontmatter tag that Obsidian would not read as a tag."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding

_TAG_CHARS = re.compile(r"[\w/\-\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+")


def tag_problem(tag: object) -> str | None:
    """Why `tag` is not a valid Obsidian tag, or None when it is one."""
    if not isinstance(tag, str):
        return f"{tag!r} is not text"
    return _text_tag_problem(tag)


@lru_cache(maxsize=65536)
def _text_tag_problem(tag: str) -> str | None:
    """Memoised: a vault uses a few hundred distinct tags thousands of times."""
    text = tag[1:] if tag.startswith("#") else tag
    if tag.startswith("#"):
        return f"'{tag}' starts with '#'; frontmatter tags are written without it"
    if not text:
        return "empty tag"
    if any(c.isspace() for c in text):
        return f"'{tag}' contains white space; Obsidian reads only up to the space"
    if not _TAG_CHARS.fullmatch(text):
        bad = next(c for c in text if not _TAG_CHARS.fullmatch(c))
        return f"'{tag}' contains '{bad}'; tags may hold letters, digits, _, - and /"
    if text.replace("/", "").isdigit():
        return f"'{tag}' is only digits; a tag needs at least one non-numeric character"
    return None


@rule(
    "KB109",
    "invalid-tag",
    "error",
    "a tag Obsidian would not read as one (spaces, punctuation, only digits)",
    why=(
        "Obsidian leaves such a value out of the tag pane and tag search, or reads only part of "
        "it, so the note is not found by its tag."
    ),
    example=Example(
        bad='---\ntags: ["#k8s", service mesh, 1984]\n---',
        good="---\ntags: [k8s, service-mesh, year/1984]\n---",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A value in the tags property that Obsidian does not accept as a tag: white space,
    punctuation other than _, - and /, a leading '#', or only digits (#1984 is no tag)."""
    for note in ctx.notes:
        tags = note.meta.get("tags")
        if not isinstance(tags, list):
            continue
        for index, tag in enumerate(tags):
            problem = tag_problem(tag)
            if problem is None:
                continue
            line, column = note.frontmatter.item_at("tags", index) or (note.key_line("tags"), 1)
            yield Finding(note.path, line, column, problem)
