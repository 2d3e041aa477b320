"""The cache file is never trusted blindly: a damaged, truncated or foreign file is
rebuilt, a damaged row is a miss, and two processes can use it at once (real SQLite,
real processes)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.vault import load
from kbtool.vault.cache import FORMAT, cache_path

TODAY = "2026-11-26"
OLD_NS = 1_600_000_000 * 10**9


def _vault(root: Path, notes: int = 30) -> Path:
    root.mkdir(parents=True)
    for i in range(notes):
        text = f"---\ntitle: N{i}\n---\nSee [[N{(i + 1) % notes}]] and [[Gone {i % 3}]].\n"
        (root / f"N{i}.md").write_text(text, "utf-8")
        os.utime(root / f"N{i}.md", ns=(OLD_NS, OLD_NS))
    return root


def _check(vault: Path, *more: str) -> tuple[str, int]:
    result = CliRunner().invoke(main, ["check", str(vault), "--today", TODAY, *more])
    return result.stdout, result.exit_code


def _sound(path: Path, notes: int) -> bool:
    """Whether `path` is this kbtool's cache again, holding every note, a check's result
    and the state an incremental check starts from."""
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        count = db.execute("SELECT count(*) FROM notes").fetchone()[0]
        kinds = [kind for (kind,) in db.execute("SELECT kind FROM results")]
    heads = sorted(kind.split("/")[0] for kind in kinds if "#" not in kind)
    pieces = [kind for kind in kinds if kind.startswith("check-state/") and "#" in kind]
    return (
        found == (FORMAT,) and count == notes and heads == ["check", "check-state"] and pieces != []
    )


def _truncate(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def _garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)


def _foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (path TEXT PRIMARY KEY, sha256 TEXT, note BLOB)")
        db.execute("INSERT INTO notes VALUES ('N0.md', 'x', x'00')")


def _other_version(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '0.0.1/3/old' WHERE key = 'format'")


@pytest.mark.parametrize("damage", [_truncate, _garbage, _foreign, _other_version])
def test_a_bad_cache_file_is_rebuilt_never_trusted(tmp_path: Path, damage: object) -> None:
    vault = _vault(tmp_path / "vault")
    cold = _check(vault, "--no-cache")
    assert _check(vault) == cold
    path = cache_path(vault.absolute())
    assert _sound(path, 30)
    damage(path)  # type: ignore[operator]
    load.counts.reset()
    assert _check(vault) == cold
    assert load.counts.parsed == 30  # nothing was taken from the bad file
    assert _sound(path, 30)
    load.counts.reset()
    assert _check(vault) == cold
    assert (load.counts.hashed, load.counts.parsed) == (0, 0)  # and it serves again


def _flip(db: sqlite3.Connection, select: str, update: str) -> None:
    """Change one bit of a stored value: it may still unpickle, into something else."""
    key, blob = db.execute(select).fetchone()
    at = min(40, len(blob) // 2)  # a deflated note or a piece of the state may be short
    db.execute(update, (blob[:at] + bytes([blob[at] ^ 0x20]) + blob[at + 1 :], key))


def test_a_damaged_row_is_a_miss(tmp_path: Path) -> None:
    vault = _vault(tmp_path / "vault")
    cold = _check(vault, "--no-cache")
    _check(vault)
    path = cache_path(vault.absolute())
    with sqlite3.connect(path) as db:  # a byte of the stored results and of note N3 flipped
        for (kind,) in db.execute("SELECT kind FROM results").fetchall():
            _flip(
                db,
                f"SELECT kind, data FROM results WHERE kind = '{kind}'",
                "UPDATE results SET data = ? WHERE kind = ?",
            )
        _flip(
            db,
            "SELECT path, note FROM notes WHERE path = CAST('N3.md' AS BLOB)",
            "UPDATE notes SET note = ? WHERE path = ?",
        )
    load.counts.reset()
    assert _check(vault) == cold
    assert load.counts.parsed == 1


def test_two_processes_at_once(tmp_path: Path) -> None:
    """Both fill the same empty cache at the same time, then both read it after an edit."""
    vault = _vault(tmp_path / "vault", 400)
    env = {**os.environ, "KBTOOL_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "kbtool", "check", str(vault), "--today", TODAY]
    cold = subprocess.run([*command, "--no-cache"], env=env, capture_output=True, text=True)
    assert cold.returncode == 1 and "KB201" in cold.stdout
    for _ in range(2):
        runs = [
            subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        outputs = [(*run.communicate(timeout=120), run.returncode) for run in runs]
        assert outputs == [(cold.stdout, "", 1)] * 2
        (vault / "N7.md").write_text("Now [[Nowhere]].\n", "utf-8")
        cold = subprocess.run([*command, "--no-cache"], env=env, capture_output=True, text=True)
    path = tmp_path / "cache" / cache_path(vault.absolute()).name
    assert _sound(path, 400)


def test_a_cache_folder_that_cannot_be_made_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = _vault(tmp_path / "vault")
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(blocker / "cache"))
    cold = CliRunner().invoke(main, ["check", str(vault), "--today", TODAY, "--no-cache"])
    for _ in range(2):
        warm = CliRunner().invoke(main, ["check", str(vault), "--today", TODAY])
        assert (warm.stdout, warm.stderr, warm.exit_code) == (cold.stdout, "", 1)
