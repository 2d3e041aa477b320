"""The link grammar (kbtool/notes/linktext.py, kbtool/vault/subpaths.py) on any link text.

`[[a##]]` and `[[# #]]` once raised IndexError in KB203: a heading path with no
heading in it was read as a heading. The properties below drive arbitrary link
insides through every function that reads one, as the rules do.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.lint.engine import check
from kbtool.model import Frontmatter, Heading, Note
from kbtool.notes.linktext import (
    decode_markdown_destination,
    has_scheme,
    is_image_size,
    normalise_target,
    split_wikilink,
)
from kbtool.notes.parse import parse_note
from kbtool.vault.load import load_vault
from kbtool.vault.subpaths import SubpathIndex, heading_chain, subpath_kind

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("subpath", "kind"),
    [("##", "none"), ("# #", "none"), ("# # #", "none"), ("#^", "block"), ("#a#", "heading")],
)
def test_a_heading_path_without_a_heading_is_no_subpath(subpath: str, kind: str) -> None:
    assert subpath_kind(subpath) == kind


def test_empty_heading_paths_are_checked_as_links_to_the_note(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Top\n", "utf-8")
    (tmp_path / "b.md").write_text("[[a##]]\n[[# #]]\n[[a# # #]]\n[[a#Nope]]\n[[#]]\n", "utf-8")
    result = check(load_vault(tmp_path), select=["KB2"], today=TODAY)
    found = [(d.path, d.line, d.code) for d in result.diagnostics]
    assert found == [("b.md", 4, "KB203")]


# The characters that mean something in a link's inside, often, among any others.
_LINK_PIECES = st.sampled_from(
    ["#", "##", "# ", "^", "#^", "|", "\\|", "\\", " ", "\t", ".md", "/", "%", "%20", "a", "é"]
)
_INSIDE = st.one_of(
    st.text(), st.lists(st.one_of(_LINK_PIECES, st.text(max_size=2)), max_size=20).map("".join)
)
_HEADINGS = (
    Heading(1, "Top", 1, 1, ()),
    Heading(2, "Sub # part", 3, 1, ("Top",)),
    Heading(2, "!!", 5, 1, ("Top",)),
)


@settings(max_examples=500, deadline=None)
@given(_INSIDE)
def test_any_link_inside_splits_and_looks_up_without_raising(inner: str) -> None:
    path, subpath, display = split_wikilink(inner)
    assert path == path.strip()
    assert "|" not in path and "#" not in path
    assert subpath == "" or subpath.startswith("#")
    kind = subpath_kind(subpath)
    index = SubpathIndex(Note("n.md", 0, 0, "", Frontmatter(), 1, headings=_HEADINGS))
    if kind == "heading":
        assert heading_chain(subpath), "a heading subpath always names a heading"
        index.find_heading(subpath)
        index.closest_heading(subpath)
    elif kind == "block":
        assert index.find_block(subpath) is None
    else:
        assert heading_chain(subpath) == []
    normalise_target(path)
    is_image_size(display)
    has_scheme(inner)
    decode_markdown_destination(inner)


@settings(max_examples=300, deadline=None)
@given(_INSIDE)
def test_any_link_in_a_note_and_a_property_checks_without_raising(inner: str) -> None:
    if "]]" in inner or "\n" in inner or "\r" in inner:
        inner = inner.replace("]", "").replace("\n", "").replace("\r", "")
    body = f"# Top\n\n## Sub\n\n[[{inner}]] ![[{inner}]]\n"
    quoted = inner.replace("\\", "\\\\").replace('"', '\\"')
    note = f'---\nup: "[[{quoted}]]"\n---\n{body}'.encode()
    parse_note("n.md", note)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "n.md").write_bytes(note)
        (root / "a.md").write_text(body, "utf-8")
        check(load_vault(root), select=["KB2"], today=TODAY)


def test_a_block_id_glued_to_an_embed_is_a_link_target(tmp_path: Path) -> None:
    (tmp_path / "Note.md").write_text("![[diagram.png]]^diagram\n", "utf-8")
    (tmp_path / "diagram.png").write_bytes(b"\x89PNG")
    (tmp_path / "b.md").write_text("[[Note#^diagram]]\n[[Note#^nope]]\n", "utf-8")
    result = check(load_vault(tmp_path), select=["KB2"], today=TODAY)
    assert [(d.path, d.line, d.code) for d in result.diagnostics] == [("b.md", 2, "KB204")]
