"""Files trusted by their stamp, as git trusts its index, and git's racily-clean rule.

Work is counted (`kbtool.vault.load.counts`: notes read and hashed, notes parsed),
never timed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.vault import load
from kbtool.vault.load import load_vault

OLD_NS = 1_600_000_000 * 10**9  # 2020-09-13: long before any run of these tests


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    for i in range(4):
        note = tmp_path / f"N{i}.md"
        note.write_text(f"---\ntitle: N{i}\n---\n[[N{(i + 1) % 4}]]\n", "utf-8")
        os.utime(note, ns=(OLD_NS, OLD_NS))
    return tmp_path


def _load(vault: Path) -> tuple[load.Vault, tuple[int, int]]:
    load.counts.reset()
    loaded = load_vault(vault, cache=True)
    return loaded, (load.counts.hashed, load.counts.parsed)


def test_unchanged_files_are_neither_hashed_nor_parsed(vault: Path) -> None:
    first, work = _load(vault)
    assert work == (4, 4)
    second, work = _load(vault)
    assert work == (0, 0)
    assert (second.cache_hits, second.cache_misses, second.cache_hashed) == (4, 0, 0)
    assert second.notes == first.notes == load_vault(vault).notes


def test_a_racily_clean_file_is_hashed_again_every_run(vault: Path) -> None:
    future = time.time_ns() + 3600 * 10**9  # not older than any run's start
    os.utime(vault / "N2.md", ns=(future, future))
    _load(vault)
    for _ in range(2):
        _, work = _load(vault)
        assert work == (1, 0)  # hashed, found the same bytes, not parsed


def test_a_racily_clean_change_that_keeps_the_stamp_is_seen(vault: Path) -> None:
    """Same size, same mtime, same inode, other bytes: only the racily-clean rule sees it."""
    note = vault / "N1.md"
    now = time.time_ns()
    os.utime(note, ns=(now, now))
    _load(vault)
    stamp = note.stat()
    with note.open("r+b") as handle:  # rewritten in place: the inode stays
        changed = handle.read().replace(b"[[N2]]", b"[[N3]]")
        handle.seek(0)
        handle.write(changed)
    os.utime(note, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert (note.stat().st_size, note.stat().st_ino) == (stamp.st_size, stamp.st_ino)
    again, work = _load(vault)
    assert work == (1, 1)
    assert [link.path for link in again.notes["N1.md"].links] == ["N3"]


def test_a_file_hashed_again_is_trusted_once_its_second_is_past(vault: Path) -> None:
    """git refreshes a racily clean entry that hashed the same; so does the cache."""
    os.utime(vault / "N0.md", ns=(OLD_NS + 5, OLD_NS + 5))  # a new stamp, same bytes
    _, work = _load(vault)
    assert work == (4, 4)
    _, work = _load(vault)
    assert work == (0, 0)
    os.utime(vault / "N0.md", ns=(OLD_NS + 9, OLD_NS + 9))
    touched, work = _load(vault)
    assert work == (1, 0)
    assert touched.notes["N0.md"].mtime_ns == OLD_NS + 9
    trusted, work = _load(vault)
    assert work == (0, 0)
    assert trusted.notes["N0.md"].mtime_ns == OLD_NS + 9


def test_a_changed_size_or_inode_is_read_again(vault: Path) -> None:
    _load(vault)
    grown = vault / "N0.md"
    grown.write_text(grown.read_text("utf-8") + "more\n", "utf-8")
    os.utime(grown, ns=(OLD_NS, OLD_NS))
    moved = vault / "N3.md"
    copy = vault / "copy.tmp"
    copy.write_bytes(moved.read_bytes())
    os.utime(copy, ns=(OLD_NS, OLD_NS))
    os.replace(copy, moved)  # same bytes, same mtime, another inode
    again, work = _load(vault)
    assert work == (2, 1)
    assert again.notes == load_vault(vault).notes


def test_a_change_of_mode_alone_is_seen_by_the_change_time(vault: Path) -> None:
    """A `chmod` keeps size, modification time and inode; git's change time catches it,
    so a note made unreadable is never served from the cache unread."""
    _load(vault)
    note = vault / "N2.md"
    before = note.stat()
    os.chmod(note, 0o600)
    after = note.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    _, work = _load(vault)
    assert work == (1, 0)  # read again and hashed: the same bytes, not parsed


def test_a_note_made_unreadable_is_reported_by_a_warm_check(
    vault: Path, as_nobody: Callable[..., subprocess.CompletedProcess[str]], public_tmp: Path
) -> None:
    """Seen through another user (root reads any file): a warm check after `chmod 000`
    reports the note as unreadable, as a cold check does."""
    root = public_tmp / "vault"
    shutil.copytree(vault, root)
    cache = public_tmp / "cache"
    cache.mkdir(mode=0o777)
    os.chmod(cache, 0o777)
    for path in [root, *root.rglob("*")]:
        os.chmod(path, 0o777 if path.is_dir() else 0o666)
    command = ["check", str(root), "--format", "json"]
    first = as_nobody(*command, cache=cache)
    assert '"KB001"' not in first.stdout
    assert as_nobody(*command, cache=cache).stdout == first.stdout  # warm: from the cache
    os.chmod(root / "N2.md", 0)
    warm = as_nobody(*command, cache=cache)
    cold = as_nobody(*command, "--no-cache")
    assert '"KB001"' in warm.stdout
    assert warm.stdout == cold.stdout
