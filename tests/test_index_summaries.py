"""A warm `kbtool index` takes each unchanged note's summary from the last run: no note is
read again, and the index is the same as a cold one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kbtool.index import build_index, render_json
from kbtool.vault import text
from kbtool.vault.cache import cache_path, read_result
from kbtool.vault.load import load_vault

TODAY = dt.date(2026, 1, 1)


def _vault(root: Path) -> Path:
    for i in range(5):
        (root / f"n{i}.md").write_text(
            f"---\ntitle: N{i}\n---\n\nNote {i} says this. More.\n\n[[n{(i + 1) % 5}]]\n", "utf-8"
        )
    return root


def _index(root: Path, *, cache: bool) -> str:
    return render_json(build_index(load_vault(root, cache=True), today=TODAY, cache=cache))


def test_a_warm_index_reads_no_note_and_says_the_same(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    cold = _index(root, cache=False)
    before = text.reads
    first = _index(root, cache=True)
    assert text.reads - before == 5  # the first run with the cache reads every note
    before = text.reads
    warm = _index(root, cache=True)
    assert text.reads - before == 0
    assert cold == first == warm
    assert '"summary": "Note 3 says this."' in warm
    assert read_result(cache_path(root), "summaries/2") is not None


def test_a_changed_note_is_read_again_and_only_it(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    _index(root, cache=True)
    (root / "n2.md").write_text("---\ntitle: N2\n---\n\nIt changed. Yes.\n", "utf-8")
    before = text.reads
    warm = _index(root, cache=True)
    assert text.reads - before == 1
    assert '"summary": "It changed."' in warm
    assert warm == _index(root, cache=False)


def test_a_damaged_summary_cache_is_ignored(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    _index(root, cache=True)
    cache_path(root).write_bytes(b"not a database at all")
    assert _index(root, cache=True) == _index(root, cache=False)
