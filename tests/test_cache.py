"""The parse cache: a second run parses only what changed, and gives the same notes."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.vault.cache import cache_path
from kbtool.vault.load import load_files, load_vault, scan_vault

SAMPLE = Path(__file__).resolve().parent.parent / "vault"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    for i in range(5):
        (tmp_path / f"N{i}.md").write_text(f"---\ntitle: N{i}\n---\n[[N{(i + 1) % 5}]]\n", "utf-8")
    return tmp_path


def test_second_run_parses_nothing_and_gives_the_same_notes(vault: Path) -> None:
    first = load_vault(vault, cache=True)
    assert (first.cache_hits, first.cache_misses) == (0, 5)
    second = load_vault(vault, cache=True)
    assert (second.cache_hits, second.cache_misses) == (5, 0)
    assert second.notes == first.notes == load_vault(vault).notes


def test_changed_added_and_removed_notes(vault: Path) -> None:
    load_vault(vault, cache=True)
    (vault / "N0.md").write_text("---\ntitle: N0\n---\n[[Elsewhere]]\n", "utf-8")
    (vault / "New.md").write_text("new\n", "utf-8")
    (vault / "N4.md").unlink()
    again = load_vault(vault, cache=True)
    assert (again.cache_hits, again.cache_misses) == (3, 2)
    assert [link.path for link in again.notes["N0.md"].links] == ["Elsewhere"]
    assert again.notes == load_vault(vault).notes


def test_same_bytes_new_mtime_is_a_hit_with_the_new_mtime(vault: Path) -> None:
    load_vault(vault, cache=True)
    os.utime(vault / "N1.md", ns=(1_000_000_000, 1_000_000_000))
    again = load_vault(vault, cache=True)
    assert again.cache_misses == 0
    assert again.notes["N1.md"].mtime_ns == 1_000_000_000


def test_damaged_cache_file_is_ignored(vault: Path) -> None:
    load_vault(vault, cache=True)
    cache_path(vault.absolute()).write_bytes(b"this is not a database")
    again = load_vault(vault, cache=True)
    assert again.cache_misses == 5
    assert again.notes == load_vault(vault).notes


def test_unwritable_cache_folder_is_ignored(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = vault.parent / "not-a-folder"
    blocker.write_text("", "utf-8")
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(blocker / "sub"))
    assert load_vault(vault, cache=True).notes == load_vault(vault).notes


def test_the_sample_vault_checks_the_same_with_and_without_cache() -> None:
    runner = CliRunner()
    cold = runner.invoke(main, ["check", str(SAMPLE), "--today", "2026-11-26", "--no-cache"])
    warm1 = runner.invoke(main, ["check", str(SAMPLE), "--today", "2026-11-26"])
    warm2 = runner.invoke(main, ["check", str(SAMPLE), "--today", "2026-11-26"])
    assert cold.stdout == warm1.stdout == warm2.stdout
    assert cold.exit_code == warm1.exit_code == warm2.exit_code == 0


def test_no_cache_writes_no_cache_file(vault: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(vault), "--no-cache"])
    assert result.exit_code == 0
    assert not cache_path(vault.absolute()).exists()
    CliRunner().invoke(main, ["check", str(vault)])
    assert cache_path(vault.absolute()).exists()
    assert not any(p.name.endswith(".sqlite") for p in vault.rglob("*"))


def _most_unstored(root: Path) -> int:
    """The most notes a cold load with the cache had parsed and not yet stored in the
    cache file, as another connection sees it after each note."""
    path = cache_path(root.absolute())
    most = 0

    def after_each(done: int, _total: int) -> None:
        nonlocal most
        with sqlite3.connect(path) as db:
            (stored,) = db.execute("SELECT count(*) FROM notes").fetchone()
        most = max(most, done - stored)

    load_files(scan_vault(root), progress=after_each, cache=True)
    with sqlite3.connect(path) as db:
        (stored,) = db.execute("SELECT count(*) FROM notes").fetchone()
    assert stored == len(list(root.glob("*.md")))  # and every note, in the end
    return most


def test_a_cold_load_stores_its_notes_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes are stored a batch at a time as they are parsed, so that the notes waiting to
    be stored (and their stamps) do not grow with the vault."""
    monkeypatch.setenv("KBTOOL_PARALLEL", "off")
    monkeypatch.setattr("kbtool.vault.cache.SAVE_EVERY", 10, raising=False)
    found = []
    for notes in (40, 80):
        root = tmp_path / f"n{notes}"
        root.mkdir()
        for i in range(notes):
            (root / f"N{i}.md").write_text(f"[[N{(i + 1) % notes}]]\n", "utf-8")
        found.append(_most_unstored(root))
    assert found == [9, 9]
    assert load_vault(root, cache=True).cache_hits == 80
