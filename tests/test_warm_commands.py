"""`index`, `stats` and `graph` on a warm cache print exactly what a cold run prints, and
reuse the last result (reading no note) only when nothing it depends on changed.

Each vault is copied with old modification times, so that no file is racily clean and
a run with nothing changed can reuse the stored result; `-v` says when it does, and
`kbtool.vault.load.counts` shows that no note was read or parsed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, corpus_vaults

from kbtool.cli import main
from kbtool.vault import load, reuse
from kbtool.vault.cache import cache_path, read_result, write_result
from kbtool.vault.pieces import stored_head

OLD_NS = 1_600_000_000 * 10**9
TODAY = ["--today", "2025-12-01"]
REUSED = "its result is reused, no note read"

COMMANDS = [
    ["stats"],
    ["stats", "--format", "json"],
    *(["graph", "--format", fmt] for fmt in ("json", "graphml", "gexf", "dot", "mermaid")),
    ["index", *TODAY],
    ["index", "--format", "json", *TODAY],
]
FIXTURE_VAULTS = ["links", "links_stats", "index", "meta", "conventions", "obsidian", "review"]


def copy_vault(source: Path, root: Path) -> Path:
    """`source` copied to `root`, every file with its own old mtime (never racily clean)."""
    shutil.copytree(source, root, symlinks=True)
    age_files(root)
    return root


def age_files(root: Path) -> None:
    clock = OLD_NS
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            clock += 1_000_003
            os.utime(path, ns=(clock, clock))


def age(path: Path, ns: int = OLD_NS + 10**12) -> None:
    os.utime(path, ns=(ns, ns))


def run(args: list[str], root: Path | str) -> tuple[str, bool]:
    """`kbtool ARGS -v ROOT`: its standard output, and whether it reused the last result."""
    command, *options = args
    result = CliRunner().invoke(main, [command, "-v", *options, str(root)])
    assert result.exit_code == 0, result.output
    return result.stdout, REUSED in result.stderr


def cold(args: list[str], root: Path | str) -> str:
    out, reused = run([*args, "--no-cache"], root)
    assert not reused
    return out


@pytest.mark.parametrize("name", FIXTURE_VAULTS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_warm_output_is_the_cold_output_and_reads_no_note(
    tmp_path: Path, name: str, args: list[str]
) -> None:
    root = copy_vault(FIXTURES / name, tmp_path / name)
    expected = cold(args, root)
    assert run(args, root) == (expected, False)  # fills the cache
    load.counts.reset()
    assert run(args, root) == (expected, True)
    assert (load.counts.hashed, load.counts.parsed) == (0, 0)


@pytest.mark.parametrize("vault", corpus_vaults(), ids=lambda p: p.parent.name)
def test_warm_output_is_the_cold_output_on_real_vaults(corpora: Path, vault: Path) -> None:
    """The corpora are read-only and their files old: the second run reuses."""
    for args in (["stats", "--format", "json"], ["graph", "--format", "json"], ["index", *TODAY]):
        expected = cold(args, vault)
        run(args, vault)
        load.counts.reset()
        assert run(args, vault) == (expected, True), args
        assert (load.counts.hashed, load.counts.parsed) == (0, 0)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")
    age(path)


def _rename(root: Path) -> None:
    (root / "B.md").rename(root / "B2.md")


def _edit_note(root: Path) -> None:
    _append(root / "A.md", "\nAlso [[D]] and #fresh.\n")


def _config(root: Path) -> None:
    (root / "kbtool.toml").write_text('exclude = ["D.md"]\n', "utf-8")
    age(root / "kbtool.toml")


def _new_note(root: Path) -> None:
    (root / "H.md").write_text("---\ntitle: H\ntags: [h]\n---\nH links [[A]].\n", "utf-8")
    age(root / "H.md")


def _attachment(root: Path) -> None:
    """`G.md` embeds `pic.png`: renamed, the embed is broken, and no note changed."""
    (root / "pic.png").rename(root / "other.png")


EDITS = {"rename": _rename, "note": _edit_note, "config": _config, "new note": _new_note}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_change_gives_the_new_output(tmp_path: Path, edit: str, args: list[str]) -> None:
    root = copy_vault(FIXTURES / "links_stats", tmp_path / "vault")
    before = cold(args, root)
    run(args, root)
    assert run(args, root) == (before, True)
    EDITS[edit](root)
    after = cold(args, root)
    assert after != before
    assert run(args, root) == (after, False)
    assert run(args, root) == (after, True)


@pytest.mark.parametrize("args", [["stats", "--format", "json"], ["graph", "--format", "json"]])
def test_a_renamed_attachment_gives_the_new_output(tmp_path: Path, args: list[str]) -> None:
    root = copy_vault(FIXTURES / "links_stats", tmp_path / "vault")
    run(args, root)
    before, reused = run(args, root)
    assert reused
    _attachment(root)
    after = cold(args, root)
    assert after != before
    assert run(args, root) == (after, False)


@pytest.mark.parametrize(
    ("args", "changed", "shared", "kept"),
    [
        (["index", *TODAY], ["index", "--today", "2025-12-02"], False, False),
        (["index", *TODAY], ["index", "--recent", "1", *TODAY], False, False),
        (["index", *TODAY], ["index", "--format", "json", *TODAY], False, True),
        (["stats"], ["stats", "--format", "json"], True, True),
        (["graph"], ["graph", "--format", "dot"], False, True),
    ],
    ids=["today", "recent", "index format", "stats format", "graph format"],
)
def test_an_option_gives_its_own_output(
    tmp_path: Path, args: list[str], changed: list[str], shared: bool, kept: bool
) -> None:
    """One result is kept per command and format: another format's stays, another date's
    or length's replaces it. `stats` keeps its figures, which every format shows."""
    root = copy_vault(FIXTURES / "index", tmp_path / "vault")
    run(args, root)
    before, reused = run(args, root)
    assert reused
    expected = cold(changed, root)
    assert expected != before
    assert run(changed, root) == (expected, shared)
    assert run(changed, root) == (expected, True)
    assert run(args, root) == (before, kept)


@pytest.mark.parametrize("args", [["stats", "--format", "json"], ["index", *TODAY]])
def test_a_racily_clean_note_is_hashed_and_its_change_seen(tmp_path: Path, args: list[str]) -> None:
    """A note modified in the second the stored run began is hashed: a change that keeps
    its size, modification time and inode is still seen."""
    root = copy_vault(FIXTURES / "links_stats", tmp_path / "vault")
    note = root / "E.md"
    soon = time.time_ns() + 3600 * 10**9  # later than any run's start: racily clean
    age(note, soon)
    before = cold(args, root)
    run(args, root)
    load.counts.reset()
    assert run(args, root) == (before, True)
    assert (load.counts.hashed, load.counts.parsed) == (1, 0)  # E.md only
    with note.open("r+b") as file:  # same size, same inode
        text = file.read()
        file.seek(0)
        file.write(text.replace(b"Alone.", b"[[A]]!"))
    age(note, soon)
    after = cold(args, root)
    assert after != before
    assert run(args, root) == (after, False)


def test_index_written_into_the_vault_is_vouched_for_by_hash(tmp_path: Path) -> None:
    """`index -o VAULT/Index.md` rewrites a note of the vault each run: its stamp is left
    out and its bytes compared instead, so that a run after the one that first saw it
    reuses; when its bytes matter (a MOC reaches notes through it), a change to them
    gives the new index. Each write is given an old time of its own, as when the runs
    are seconds apart (else the file is racily clean, and hashed for that alone)."""
    root = copy_vault(FIXTURES / "links_stats", tmp_path / "vault")
    out = root / "Index.md"
    args = ["index", "-o", str(out), *TODAY]
    clock = iter(range(OLD_NS + 2 * 10**12, OLD_NS + 3 * 10**12, 10**9))

    def index() -> bool:
        written, reused = run(args, root)
        assert written == ""
        age(out, next(clock))
        return reused

    assert [index(), index()] == [False, False]  # Index.md is a new note of the listing
    written = out.read_bytes()
    load.counts.reset()
    assert index()
    assert (load.counts.hashed, load.counts.parsed) == (1, 0)  # Index.md only
    assert out.read_bytes() == written

    _append(root / "MOC Home.md", "- [[Index]]\n")  # MOC Home reaches all through it
    assert [index(), index(), index()] == [False, False, True]  # the second: Index.md changed
    assert b"Not reached from any MOC (2)" in written  # D and E
    assert b"Not reached from any MOC" not in out.read_bytes()

    hand = "Only [[D]].\n"  # now MOC Home reaches E no more
    out.write_text(hand, "utf-8")
    age(out, next(clock))
    assert not index()
    warm = out.read_bytes()
    assert b"Not reached from any MOC (1)" in warm  # E
    out.write_text(hand, "utf-8")
    cold(args, root)
    assert out.read_bytes() == warm


def test_no_cache_bypasses_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    root = copy_vault(FIXTURES / "links_stats", tmp_path / "vault")
    for args in (["stats"], ["graph"], ["index", *TODAY]):
        cold(args, root)
    assert not (tmp_path / "cache").exists()
    run(["graph"], root)
    load.counts.reset()
    cold(["graph"], root)
    assert load.counts.parsed == 8  # every note parsed afresh


def test_a_damaged_stored_result_is_a_miss(tmp_path: Path) -> None:
    root = copy_vault(FIXTURES / "links_stats", tmp_path / "vault")
    expected = cold(["graph"], root)
    run(["graph"], root)
    path = cache_path(root.absolute())
    stored = read_result(path, "reuse/graph/json")
    assert stored is not None
    key, checked_ns, _value = stored
    write_result(path, "reuse/graph/json", key, checked_ns, (b"not text", {}))
    assert run(["graph"], root) == (expected, False)
    assert run(["graph"], root) == (expected, True)


def test_a_result_too_large_to_store_is_computed_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not stored, so never reused; the parse cache stays (SQLite would refuse a value
    over 1 GB, and the cache would be taken for damaged)."""
    monkeypatch.setattr(reuse, "MAX_STORED", 100)
    root = copy_vault(FIXTURES / "links_stats", tmp_path / "vault")
    expected = cold(["stats"], root)
    assert run(["stats"], root) == (expected, False)
    load.counts.reset()
    assert run(["stats"], root) == (expected, False)
    assert (load.counts.hashed, load.counts.parsed) == (0, 0)  # notes from the parse cache
    assert read_result(cache_path(root.absolute()), "reuse/stats") is None


def test_a_text_too_large_to_store_streams_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text (here the graph's JSON) whose compressed pieces pass the bound is not
    stored; its head says so, and no piece of it is left in the cache."""
    monkeypatch.setattr(reuse, "MAX_STORED_TEXT", 100)
    root = copy_vault(FIXTURES / "links_stats", tmp_path / "vault")
    expected = cold(["graph"], root)
    assert len(expected) > 1000
    assert run(["graph"], root) == (expected, False)
    load.counts.reset()
    assert run(["graph"], root) == (expected, False)
    assert (load.counts.hashed, load.counts.parsed) == (0, 0)  # notes from the parse cache
    path = cache_path(root.absolute())
    head = stored_head(path, "reuse/graph/json")
    assert head is not None and head.too_large and head.pieces == ()
    with sqlite3.connect(path) as db:
        kinds = [k for (k,) in db.execute("SELECT kind FROM results WHERE kind LIKE 'reuse/%'")]
    assert kinds == ["reuse/graph/json"]
