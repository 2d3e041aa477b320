"""Heading and block subpaths: Obsidian's stripHeading, chains, block ids, sections."""

from __future__ import annotations

import pytest

from kbtool.model import BlockId, Frontmatter, Heading, Note
from kbtool.vault.subpaths import SubpathIndex, section_lines, strip_heading, subpath_kind


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("wifi 2.4 vs 5.0", "wifi 2 4 vs 5 0"),
        ("  Property  ", "Property"),
        ('a!b"c#d$e%f&g(h)i*j+k,l.m:n;o<p=q>r?s@t^u`v{w|x}y~z/0[1]2\\3', None),
        ("Tabs\tand\n newlines", "Tabs and newlines"),
        ("**Bold** [[link]] _kept_", "Bold link _kept_"),
        ("Ünïcödé — dash", "Ünïcödé — dash"),
    ],
)
def test_strip_heading(text: str, stripped: str | None) -> None:
    if stripped is None:  # every listed character becomes a space, then spaces collapse
        stripped = " ".join("abcdefghijklmnopqrstuvwxyz0123")
    assert strip_heading(text) == stripped


def note_with(headings: list[Heading], blocks: list[BlockId] = ()) -> Note:  # type: ignore[assignment]
    return Note(
        "N.md", 0, 0, "", Frontmatter(), 1, headings=tuple(headings), block_ids=tuple(blocks)
    )


HEADINGS = [
    Heading(1, "Top", 1, 1),
    Heading(2, "Sub", 3, 1, ("Top",)),
    Heading(3, "Deep", 5, 1, ("Top", "Sub")),
    Heading(1, "Other", 7, 1),
    Heading(2, "wifi 2.4 vs 5.0", 9, 1, ("Other",)),
    Heading(2, "Property", 11, 1, ("Other",)),
]


@pytest.mark.parametrize(
    ("subpath", "line"),
    [
        ("#Top", 1),
        ("#wifi 2 4 vs 5 0", 9),
        ("#property", 11),
        ("#Top#Sub", 3),
        ("#Top#Deep", 5),  # an ancestor, not only the parent
        ("#Top#Sub#Deep", 5),
        ("#top#sub", 3),
        ("#Other#Sub", None),
        ("#Sub#Top", None),
        ("#Nowhere", None),
    ],
)
def test_find_heading(subpath: str, line: int | None) -> None:
    found = SubpathIndex.for_note(note_with(HEADINGS)).find_heading(subpath)
    assert (found.line if found else None) == line


def test_block_ids_compare_case_insensitively() -> None:
    index = SubpathIndex.for_note(note_with([], [BlockId("abc123", 4, 20)]))
    assert index.find_block("#^ABC123") == BlockId("abc123", 4, 20)
    assert index.find_block("#^abc12") is None


def test_closest_heading_gives_the_real_chain_or_a_spelling() -> None:
    index = SubpathIndex.for_note(note_with(HEADINGS))
    assert index.closest_heading("#Other#Deep") == "#Top#Sub#Deep"
    assert index.closest_heading("#Propperty") == "#Property"
    assert index.closest_heading("#zzzz") is None


@pytest.mark.parametrize(
    ("subpath", "kind"),
    [("", "none"), ("#", "none"), ("#^id", "block"), ("#H", "heading"), ("#A#B", "heading")],
)
def test_subpath_kind(subpath: str, kind: str) -> None:
    assert subpath_kind(subpath) == kind


def test_section_lines_end_before_same_or_higher_level() -> None:
    note = note_with(HEADINGS)
    assert section_lines(note, HEADINGS[0]) == (1, 6)
    assert section_lines(note, HEADINGS[1]) == (3, 6)
    assert section_lines(note, HEADINGS[4]) == (9, 10)
    assert section_lines(note, HEADINGS[5])[0] == 11
    assert section_lines(note, HEADINGS[5])[1] > 10_000
