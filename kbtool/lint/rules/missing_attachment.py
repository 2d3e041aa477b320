"""KB205 missing-attachment: an embed of an image, PDF or other file that is not in the vault."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.vault.resolve import link_label


@rule(
    "KB205",
    "missing-attachment",
    "error",
    "`![[missing.png]]`: an embedded image, PDF, audio or video file that is not in the vault",
    why="The note shows an empty frame where the picture or document should be.",
    example=Example(
        bad="Kube-proxy.md: ![[diagram.png]]\ndiagram.svg: <svg/>",
        good="Kube-proxy.md: ![[diagram.svg]]\ndiagram.svg: <svg/>",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """An embed (`![[diagram.png]]`, `![[paper.pdf#page=3]]`, `![alt](img/x.png)`) of a
    non-Markdown file that no vault file matches. A path
    counts as a file, not a note, when its extension is one Obsidian accepts (images,
    audio, video, PDF, canvas, base) or one that files in the vault carry. A plain link
    to a missing file, and an embed of a missing note, are KB201."""
    resolver = ctx.vault.resolver
    for item in ctx.unresolved_links:
        if not resolver.is_missing_attachment(item):
            continue
        message = f"{link_label(item.link)}: no file '{item.link.path}' in the vault"
        suggestion = resolver.suggest(item.link.path)
        if suggestion:
            message += f"; did you mean {suggestion}?"
        yield item.finding(message)
