"""KB901 unused-suppression: a suppression comment that suppressed nothing."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding


@rule(
    "KB901",
    "unused-suppression",
    "warning",
    "a suppression comment that silenced nothing",
    why="Stale suppressions hide the next real problem on that line; delete them.",
    example=Example(
        bad="<!-- kbtool-disable-next-line KB201 -->\nSee [[Kube-proxy]].  %% the link resolves %%",
        good="See [[Kube-proxy]].",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A '<!-- kbtool-disable-next-line KB201 -->' or '%% kbtool-disable KB201 %%' comment
    (or '# kbtool-disable-next-line' inside frontmatter) that silenced no diagnostic.
    Found by the checker after every other rule has run."""
    # kbtool.lint.engine reports these itself; this rule holds the code, the default and the doc.
    return iter(())
