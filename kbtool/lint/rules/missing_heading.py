"""KB203 missing-heading: `[[Note#Heading]]` where the note has no such heading."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding
from kbtool.vault.resolve import link_label
from kbtool.vault.subpaths import heading_chain


def _missing(chain: list[str]) -> str:
    if len(chain) == 1:
        return f"no heading '{chain[0]}'"
    return f"no heading '{chain[-1]}' under '{' > '.join(chain[:-1])}'"


@rule(
    "KB203",
    "missing-heading",
    "error",
    "`[[Note#Heading]]` or `[[Note#A#B]]` with no such (nested) heading; headings compare like "
    "Obsidian (`[[Note#wifi 2 4]]` reaches `## Wifi 2.4`)",
    why=(
        "The reader lands at the top of the note, not the section meant (often: a renamed heading)."
    ),
    example=Example(
        bad="See [[#IPVS mode]].\n\n## IPVS",
        good="See [[#IPVS]].\n\n## IPVS",
    ),
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A link to a heading (`[[Note#Heading]]`, `[[#Heading]]` in the same note,
    `[[Note#A#B]]` for B nested under A) that the target note does not have. Headings
    compare as Obsidian compares them: punctuation (`. : # | ^ [ ] ...`) counts as a
    space, runs of spaces as one, and case is ignored, so `[[Note#wifi 2 4]]` reaches
    `## Wifi 2.4`. Obsidian opens the note at its top instead. Headings in code blocks do
    not count; subpaths on attachments (`#page=3` on a PDF) are not checked. For vaults
    written for Foam, VS Code or GitHub, `[links] heading_slugs = "github"` (or "both")
    compares GitHub's anchors instead: `[Key features](#key-features)`."""
    resolver = ctx.vault.resolver
    for item in ctx.subpath_links("heading"):
        subpath = item.link.subpath
        assert item.target is not None
        index = resolver.subpath_index(item.target)
        if index.find_heading(subpath) is not None:
            continue
        message = f"{link_label(item.link)}: {_missing(heading_chain(subpath))} in {item.target}"
        closest = index.closest_heading(subpath)
        if closest:
            message += f"; did you mean '{closest}'?"
        yield item.finding(message)
