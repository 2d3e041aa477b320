"""`ResolvedLinks`: every internal link with its resolution, one tuple a note, read as a list."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtool.vault.load import load_vault
from kbtool.vault.resolve import ResolvedLink, is_external


def _vault(tmp_path: Path) -> Path:
    (tmp_path / "a.md").write_text("[[b]] and [[missing]] and [web](https://x.org)\n", "utf-8")
    (tmp_path / "b.md").write_text("# B\n\nno links\n", "utf-8")
    (tmp_path / "c.md").write_text("[[a#Top]] ![[b]]\n", "utf-8")
    return tmp_path


def test_reads_as_the_list_of_every_internal_link_in_file_order(tmp_path: Path) -> None:
    vault = load_vault(_vault(tmp_path))
    resolver = vault.resolver
    links = resolver.resolved_links()
    expected = [
        ResolvedLink(note, link, resolver.resolve(link.path, note.path))
        for note in vault.notes.values()
        for link in note.links
        if not is_external(link)
    ]
    assert list(links) == expected
    assert [(r.note.path, r.link.raw, r.target) for r in links] == [
        ("a.md", "[[b]]", "b.md"),
        ("a.md", "[[missing]]", None),
        ("c.md", "[[a#Top]]", "a.md"),
        ("c.md", "![[b]]", "b.md"),
    ]
    assert len(links) == 4
    assert [links[i] for i in range(4)] == expected
    assert links[-1] == expected[-1] and links[1:3] == expected[1:3]
    with pytest.raises(IndexError):
        links[4]
    assert all(type(r) is ResolvedLink for r in links)


def test_links_from_a_note_and_to_a_note(tmp_path: Path) -> None:
    resolver = load_vault(_vault(tmp_path)).resolver
    assert [r.link.raw for r in resolver.links_from("c.md")] == ["[[a#Top]]", "![[b]]"]
    assert resolver.links_from("b.md") == []  # a note without links
    assert [(r.note.path, r.link.raw) for r in resolver.links_to("b.md")] == [
        ("a.md", "[[b]]"),
        ("c.md", "![[b]]"),
    ]
    assert [r.link.raw for r in resolver.subpath_links()] == ["[[a#Top]]"]
    assert resolver.subpath_links("block") == []


def test_the_embeds_alone_are_those_of_every_link() -> None:
    """KB207 resolves only embeds: the same links, in the same order, as the embeds among
    every resolved link, without resolving the rest."""
    from tests.conftest import FIXTURES

    alone = load_vault(FIXTURES / "links").resolver
    embeds = alone.resolved_embeds()
    assert not alone.resolved_all
    every = load_vault(FIXTURES / "links").resolver
    assert embeds == [r for r in every.resolved_links() if r.link.kind == "embed"]
    assert every.resolved_embeds() == embeds
    assert len(embeds) >= 3 and {r.target is None for r in embeds} == {True, False}
