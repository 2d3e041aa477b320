"""Notes (and findings) pickle to equal objects, through a decoding whose Python work does
not grow with the note: the parse cache and the worker processes both rely on it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.model import (
    BlockId,
    Diagnostic,
    Finding,
    Frontmatter,
    Heading,
    KeyPositions,
    Link,
    Note,
    Problem,
    PropertyPos,
    ReplaceText,
    SetProperty,
    Span,
    Suppression,
    Tag,
)
from kbtool.vault.load import load_vault
from tests.conftest import corpus_vaults

small = st.integers(min_value=0, max_value=10**6)
text = st.text(max_size=12)
spans = st.builds(Span, small, small, small, small)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | text
    | st.dates()
    | st.datetimes(timezones=st.none() | st.timezones())
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3)
)
links = st.builds(
    Link,
    st.sampled_from(["link", "embed", "property"]),
    st.sampled_from(["wiki", "markdown", "property"]),
    text,
    text,
    text,
    st.none() | text,
    small,
    small,
    small,
    small,
    st.none() | text,
)
keys = st.lists(text, max_size=5, unique=True)


@st.composite
def frontmatters(draw: st.DrawFn) -> Frontmatter:
    names = draw(keys)
    positions = KeyPositions.of(
        {k: draw(st.builds(PropertyPos, small, small, small, small)) for k in names}
    )
    pairs = st.lists(small, max_size=6).map(tuple)
    items = {k: draw(pairs) for k in names}
    return Frontmatter(
        draw(st.booleans()),
        draw(st.none() | st.dictionaries(text, values, max_size=5)),
        positions,
        draw(small),
        draw(small),
        items,
        frozenset(draw(st.lists(text, max_size=3))),
    )


def parts(strategy: Any) -> Any:
    return st.lists(strategy, max_size=6).map(tuple)


notes = st.builds(
    Note,
    text,
    small,
    st.none() | st.integers(min_value=0, max_value=2**63),
    text,
    frontmatters(),
    small,
    parts(st.builds(Heading, small, text, small, small, st.lists(text, max_size=2).map(tuple))),
    parts(st.builds(BlockId, text, small, small)),
    parts(st.builds(Tag, text, small, small)),
    parts(links),
    parts(st.builds(Suppression, st.lists(text, max_size=2).map(tuple), small, small, small)),
    parts(st.builds(Problem, text, text, spans)),
)


def same_back(value: object) -> None:
    """`value` pickled and unpickled is equal, of the same types all the way down (the repr
    tells a `Span` from a plain tuple, which equality does not) and keys in the same order."""
    back = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == value
    assert type(back) is type(value)
    assert repr(_ordered(back)) == repr(_ordered(value))


def _ordered(value: object) -> object:
    """`value` with its frontmatter's set of broken keys sorted: a set's order is its own."""
    if isinstance(value, Note):
        return dataclasses.replace(value, frontmatter=_ordered(value.frontmatter))
    if isinstance(value, Frontmatter):
        return dataclasses.replace(value, broken=sorted(value.broken))  # type: ignore[arg-type]
    return value


@settings(max_examples=150, deadline=None)
@given(notes)
def test_a_generated_note_pickles_back_equal(note: Note) -> None:
    same_back(note)
    same_back(note.frontmatter)


def test_a_note_of_other_types_still_pickles_back_equal() -> None:
    """A list where the model says tuple cannot be rebuilt from columns: it pickles
    field by field instead, as it is."""
    link = Link("link", "wiki", "[[a]]", "a", "", None, 1, 1, 1, 6)
    odd = Note("a.md", 1, None, "", Frontmatter(), 1, links=[link])  # type: ignore[arg-type]
    same_back(odd)
    assert type(pickle.loads(pickle.dumps(odd)).links) is list


fix = ReplaceText("rewrite", 3, 1, 7, "[[a]]", "[[b]]")
FINDINGS = [
    fix,
    SetProperty("set", "type", "note", "note"),
    Finding("a.md", 1, 2, "message", 1, 5, fix),
    Diagnostic("a.md", 1, 2, 1, 5, "KB201", "broken-link", "error", "message", fix),
]


@pytest.mark.parametrize("value", FINDINGS, ids=lambda v: type(v).__name__)
def test_findings_pickle_back_equal(value: object) -> None:
    same_back(value)


def test_every_corpus_note_pickles_back_equal() -> None:
    vaults = corpus_vaults()
    if not vaults:
        pytest.skip("real vaults not found: set KBTOOL_CORPORA to ../shared/corpora")
    count = 0
    for root in vaults:
        for note in load_vault(root).notes.values():
            same_back(note)
            count += 1
    assert count > 100


def _python_calls(blob: bytes) -> int:
    """How many Python functions run while `blob` is unpickled."""
    calls = 0

    def count(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(count)
    try:
        pickle.loads(blob)
    finally:
        sys.setprofile(None)
    return calls


def _note_with(count: int) -> Note:
    span = Span(2, 1, 2, 6)
    link = Link("link", "wiki", "[[a]]", "a", "", None, *span)
    heading = Heading(2, "H", 3, 1, ("Top",))
    positions = KeyPositions.of({f"k{i}": PropertyPos(i + 2, 1, i + 2, 5) for i in range(count)})
    when = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)
    frontmatter = Frontmatter(True, {"created": when}, positions, 1, 4)
    problem = Problem("KB001", "bad", span)
    return Note(
        "a.md",
        10,
        1,
        "ab",
        frontmatter,
        5,
        headings=(heading,) * count,
        block_ids=(BlockId("b", 4, 9),) * count,
        tags=(Tag("t", 4, 1),) * count,
        links=(link,) * count,
        suppressions=(Suppression(("KB201",), 3, 1, 4),) * count,
        problems=(problem,) * count,
    )


def test_unpickling_a_note_runs_the_same_python_however_many_parts_it_has() -> None:
    """The parts are rebuilt in C (`tuple.__new__` over columns), never by a Python call
    per link, span or heading: 40 of each cost no more Python calls than 2."""
    few = _python_calls(pickle.dumps(_note_with(2), protocol=pickle.HIGHEST_PROTOCOL))
    many = _python_calls(pickle.dumps(_note_with(40), protocol=pickle.HIGHEST_PROTOCOL))
    assert few == many
    assert few <= 10  # the rebuilding function, its helpers and the dataclasses' __init__


def test_a_cached_row_that_is_no_note_is_a_miss(tmp_path: Path) -> None:
    """A row whose checksum holds but whose value is not a note of this path is parsed
    again, never served."""
    import sqlite3

    from kbtool.vault import load
    from kbtool.vault.cache import cache_path, dumps

    (tmp_path / "a.md").write_text("# A\n", "utf-8")
    (tmp_path / "b.md").write_text("# B\n", "utf-8")
    first = load_vault(tmp_path, cache=True).notes
    with sqlite3.connect(cache_path(tmp_path.absolute())) as db:
        update = "UPDATE notes SET note = ?, crc = ? WHERE path = CAST(? AS BLOB)"
        db.execute(update, (*dumps(first["b.md"]), "a.md"))  # b's note under a's path
        db.execute(update, (*dumps(("not", "a", "note")), "b.md"))
    load.counts.reset()
    assert load_vault(tmp_path, cache=True).notes == first
    assert load.counts.parsed == 2
