"""What each fuzz target does with one input: parse it and check the parser's promises.

A target raises on a broken promise (an exception from the parser, two scans that
differ); the fuzzer reports that input as a crash. Kept free of atheris, so that the
hypothesis fallback and the regression test run the very same code.
"""

from __future__ import annotations

from collections.abc import Callable

from kbtool.lint.rules.missing_heading import _missing
from kbtool.model import Frontmatter, Heading, Note
from kbtool.notes.frontmatter import scan_frontmatter
from kbtool.notes.linktext import normalise_target, split_wikilink
from kbtool.notes.scan import scan_body, scan_regions
from kbtool.vault.subpaths import SubpathIndex, heading_chain, subpath_kind

_HEADINGS = (Heading(1, "Top", 1, 1, ()), Heading(2, "Sub", 3, 1, ("Top",)))


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def scanner(data: bytes) -> None:
    """The body scanner never raises, and scanning twice gives the same result."""
    text = _text(data)
    first = (scan_body(text), scan_regions(text))
    assert first == (scan_body(text), scan_regions(text)), "two scans differ"


def frontmatter(data: bytes) -> None:
    """The frontmatter reader never raises on any note's lines (bad YAML is a Problem)."""
    text = _text(data)
    lines = text.split("\n")
    first = scan_frontmatter(lines)
    assert first == scan_frontmatter(lines), "two reads differ"


def linktext(data: bytes) -> None:
    """A wiki-link's inside splits, classifies and looks up without raising (KB203 too)."""
    path, subpath, _display = split_wikilink(_text(data))
    normalise_target(path)
    index = SubpathIndex(Note("n.md", 0, 0, "", Frontmatter(), 1, headings=_HEADINGS))
    kind = subpath_kind(subpath)
    if kind == "heading":
        if index.find_heading(subpath) is None:
            _missing(heading_chain(subpath))
            index.closest_heading(subpath)
    elif kind == "block":
        index.find_block(subpath)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "scanner": scanner,
    "frontmatter": frontmatter,
    "linktext": linktext,
}
