"""`kbtool cache info` and `kbtool cache clear`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.vault.cache import FORMAT, cache_path


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    for name in ("A", "B", "C"):
        (root / f"{name}.md").write_text(f"[[{name}]]\n", "utf-8")
    return root


def _run(*args: str) -> tuple[str, str, int]:
    result = CliRunner().invoke(main, list(args))
    return result.stdout, result.stderr, result.exit_code


def test_info_before_and_after_a_check(vault: Path, cache_dir: Path) -> None:
    path = cache_path(vault.absolute())
    out, _, code = _run("cache", "info", str(vault))
    assert (out, code) == (
        f"cache: {path}\nstate: absent (the next command that loads the vault makes it)\n",
        0,
    )
    assert not cache_dir.exists()  # looking creates nothing
    _run("check", str(vault))
    out, _, code = _run("cache", "info", str(vault), "--format", "json")
    info = json.loads(out)
    assert code == 0
    assert info["path"] == str(path) and path.parent == cache_dir
    assert (info["state"], info["notes"], info["format"]) == ("current", 3, FORMAT)
    assert info["bytes"] == path.stat().st_size + _size(path.with_name(path.name + "-wal"))
    assert info["written"].endswith("Z")
    out, _, _ = _run("cache", "info", str(vault))
    assert out.splitlines()[1:4] == ["state: current", f"size: {info['bytes']:,} bytes", "notes: 3"]


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def test_info_says_a_damaged_file_is_rebuilt(vault: Path, cache_dir: Path) -> None:
    _run("check", str(vault))
    path = cache_path(vault.absolute())
    path.write_bytes(b"garbage" * 100)
    out, _, code = _run("cache", "info", str(vault))
    assert code == 0
    assert "state: damaged or not kbtool's; rebuilt on the next run" in out
    assert path.read_bytes() == b"garbage" * 100  # info never changes it


def test_clear_removes_this_vaults_cache_only(vault: Path, tmp_path: Path, cache_dir: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "X.md").write_text("x\n", "utf-8")
    _run("check", str(vault))
    _run("check", str(other))
    mine, theirs = cache_path(vault.absolute()), cache_path(other.absolute())
    out, _, code = _run("cache", "clear", str(vault))
    assert (out, code) == (f"Removed {mine}.\n", 0)
    assert not mine.exists() and theirs.exists()
    out, _, code = _run("cache", "clear", str(vault))
    assert (out, code) == (f"No cache to remove ({mine} does not exist).\n", 0)


def test_clear_all_removes_kbtools_files_and_nothing_else(
    vault: Path, tmp_path: Path, cache_dir: Path
) -> None:
    _run("check", str(vault))
    cache_dir.joinpath("notes.txt").write_text("keep me", "utf-8")
    cache_dir.joinpath("kbtool-but-no-suffix").write_text("keep me", "utf-8")
    legacy = cache_dir / "0123456789abcdef0123.sqlite"  # an earlier version's name
    legacy.write_bytes(b"")
    cache_dir.joinpath(legacy.name + "-wal").write_bytes(b"")
    out, _, code = _run("cache", "clear", "--all")
    assert (out, code) == (f"Removed 3 cache file(s) from {cache_dir}.\n", 0)
    assert sorted(os.listdir(cache_dir)) == ["kbtool-but-no-suffix", "notes.txt"]


def test_clear_all_with_a_vault_is_a_usage_error(vault: Path, cache_dir: Path) -> None:
    out, err, code = _run("cache", "clear", "--all", str(vault))
    assert (out, err, code) == ("", "kbtool: error: give VAULT or --all, not both\n", 2)


def test_info_of_a_missing_vault_exits_2(tmp_path: Path, cache_dir: Path) -> None:
    out, err, code = _run("cache", "info", str(tmp_path / "nope"))
    assert (out, code) == ("", 2)
    assert err == f"kbtool: error: {tmp_path / 'nope'}: no such vault (folder does not exist)\n"
