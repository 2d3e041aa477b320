"""The listing's notes read as (name, path, stamp) tuples, whatever is held."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.vault.cache import FileStamp
from kbtool.vault.listing import NoteEntry, NoteListing
from kbtool.vault.load import scan_vault

ROOT = Path("/v")


def _entries() -> list[NoteEntry]:
    return [
        ("a.md", "/v/a.md", FileStamp(10, 1_796_131_423_452_347_204, 2**63 + 5, 1)),
        ("b.md", "/v/b.md", None),  # not stamped
        ("Cafe\u0301.md", "/v/Cafe\u0301 on disk.md", FileStamp(0, -5, 0, -7)),  # spelt otherwise
        ("d/e.md", Path("/v/d/e.md"), FileStamp(3, 4, 5, 6)),  # a Path is kept as it is
    ]


def test_reads_back_every_entry() -> None:
    listing = NoteListing(ROOT, _entries())
    assert len(listing) == 4
    assert list(listing) == _entries()
    assert listing == _entries()
    assert [listing[i] for i in range(-4, 4)] == _entries() + _entries()
    assert listing[1:3] == _entries()[1:3]
    assert isinstance(listing[3][1], Path)
    with pytest.raises(IndexError):
        listing[4]


def test_a_scan_lists_what_it_found(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.md", "a.md", "sub/c.md"):
        (tmp_path / name).write_text("x\n", "utf-8")
    files = scan_vault(tmp_path)
    assert [rel for rel, _p, _s in files.notes] == ["a.md", "b.md", "sub/c.md"]
    for rel, path, stamp in files.notes:
        assert Path(path) == tmp_path / rel
        assert stamp == FileStamp.of((tmp_path / rel).stat())


def test_holds_little_more_than_half_of_what_the_tuples_held() -> None:
    """2,000 notes: names, paths and stamps as tuples; the listing keeps the names and
    the numbers only."""

    def entries() -> list[NoteEntry]:
        return [
            (
                f"Folder/Note {i}.md",
                f"/v/Folder/Note {i}.md",
                FileStamp(i, 10**18 + i, i, 10**18 + 2 * i),
            )
            for i in range(2000)
        ]

    def held(make: Callable[[], object]) -> int:
        tracemalloc.start()
        try:
            kept = make()
            return tracemalloc.get_traced_memory()[0] + 0 * id(kept)
        finally:
            tracemalloc.stop()

    assert held(lambda: NoteListing(ROOT, entries())) < 0.6 * held(entries)
