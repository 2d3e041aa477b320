"""KB202 ambiguous-link: several files match a link; Obsidian silently picks one."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.base.paths import without_md
from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.vault.resolve import link_label


@rule(
    "KB202",
    "ambiguous-link",
    "warning",
    "several files match; names the one Obsidian opens, why, and the others",
    why=(
        "Which file the link means depends on where the linking note sits and on which other "
        "files exist, so it changes, unseen, when a note moves or a file is added."
    ),
    example=Example(
        bad="Kube-proxy.md: See [[Note]].\na/Note.md: One.\nb/Note.md: Two.",
        good="Kube-proxy.md: See [[a/Note]].\na/Note.md: One.\nb/Note.md: Two.",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A link whose path matches several files (`[[Note]]` with `a/Note.md` and
    `b/Note.md`). Obsidian opens the one in the linking note's own folder, else the one
    with the shortest path, else the first alphabetically, without a word; kbtool picks
    the same file and says so, so that the author can write the path out and make the
    link mean one thing wherever the note moves."""
    for item in ctx.links:
        resolution = item.resolution
        if not resolution.ambiguous or item.target is None:
            continue
        others = ", ".join(c for c in resolution.candidates if c != item.target)
        explicit = without_md(item.target)
        message = (
            f"{link_label(item.link)} matches {len(resolution.candidates)} files; "
            f"Obsidian opens {item.target} ({resolution.reason}), not {others}: "
            f"write [[{explicit}]] to say which"
        )
        yield item.finding(message)
