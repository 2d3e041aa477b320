"""`KeyPositions`: a frontmatter's key positions in one array, read as a mapping."""

from __future__ import annotations

import pickle

import pytest

from kbtool.model import KeyPositions, PropertyPos
from kbtool.notes.parse import parse_note


def test_reads_as_the_mapping_it_was_made_from() -> None:
    made = KeyPositions.of({"title": (2, 1, 2, 8), "tags": (3, 1, 4, 3)})
    assert list(made) == ["title", "tags"] and len(made) == 2
    assert made["tags"] == PropertyPos(3, 1, 4, 3)
    assert made.get("title") == PropertyPos(2, 1, 2, 8)
    assert made.get("missing") is None and made.get("missing", 7) == 7
    assert "tags" in made and "missing" not in made
    assert made == {"title": PropertyPos(2, 1, 2, 8), "tags": PropertyPos(3, 1, 4, 3)}
    assert made != {"title": PropertyPos(2, 1, 2, 8)}
    with pytest.raises(KeyError):
        made["missing"]


def test_pickles_back_equal_and_refuses_a_wrong_length() -> None:
    made = KeyPositions.of({"a": (1, 2, 3, 4)})
    back = pickle.loads(pickle.dumps(made))
    assert back == made and type(back) is KeyPositions
    with pytest.raises(ValueError, match="four numbers a key"):
        KeyPositions(("a", "b"), b"\0" * 16)


def test_a_parsed_note_holds_each_key_where_it_is_written() -> None:
    text = "---\ntitle: T\n  \ntags:\n  - x\ntitle: again\n---\nbody\n"
    note = parse_note("n.md", text.encode())
    positions = note.frontmatter.positions
    assert type(positions) is KeyPositions
    # a repeated key points at its last occurrence, the value YAML keeps
    assert dict(positions) == {"title": PropertyPos(6, 1, 6, 8), "tags": PropertyPos(4, 1, 5, 3)}
