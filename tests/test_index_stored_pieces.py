"""`index` (and `graph`) with the cache on store their output in bounded pieces as it
is made and replay it piece by piece, to standard output or to `-o FILE` (written
through a temporary file renamed into place), so that neither a warm nor a cold run
holds the whole text (issue 11 §5): the output is byte for byte the cold one, the
largest piece does not grow with the output, a damaged stored piece is a miss, and an
interrupted `-o` leaves the old file.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmark_scripts import load_script
from click.testing import CliRunner
from test_warm_commands import age_files

from kbtool.cli import main
from kbtool.index.build import build_index
from kbtool.index.render_md import markdown_pieces
from kbtool.vault import pieces
from kbtool.vault.cache import cache_path
from kbtool.vault.load import Vault, VaultFiles, scan_vault
from kbtool.vault.pieces import TextStore, stored_head, stored_text
from kbtool.vault.reuse import streamed_text
from kbtool.write.atomic import write_text_pieces_atomic

TODAY = ["--today", "2026-12-01"]
KIND = "reuse/index/md"
REUSED = "its result is reused, no note read"
PIECE = 4096  # bytes of text a stored piece gathers in these tests


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", PIECE)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated notes with 3 MOCs, with a title in Greek and one in emoji; old
    modification times, so that nothing is racily clean and a warm run reuses."""
    root = tmp_path_factory.mktemp("generated") / "vault"
    load_script("generate_vault").generate(300, root, seed=1)
    (root / "Ωμέγα.md").write_text("# Ωμέγα 😀\n\nΠρώτη πρόταση. Links [[MOC 0001]].\n", "utf-8")
    age_files(root)
    return root


def chain(root: Path, notes: int, mocs: int) -> Path:
    """`mocs` MOCs in a chain (each links the next, none links back), each reaching all
    `notes` notes: a hierarchy, so the index lists about `mocs * notes` lines, and
    doubling both quadruples it."""
    root.mkdir()
    for i in range(notes):
        (root / f"n{i}.md").write_text(f"# N{i}\n\nNote {i} links [[n{(i + 1) % notes}]].\n")
    for m in range(mocs):
        after = f"MOC {m + 1}" if m + 1 < mocs else "n0"
        (root / f"MOC {m}.md").write_text(f"# MOC {m}\n\n[[{after}]]\n")
    age_files(root)
    return root


def run(args: list[str]) -> tuple[bytes, bool]:
    """`kbtool ARGS -v`: standard output as bytes, and whether the stored result was used."""
    result = CliRunner().invoke(main, [args[0], "-v", *args[1:]])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes, REUSED in result.stderr


def piece_rows(root: Path, kind: str = KIND) -> list[tuple[str, int, bytes]]:
    """The stored pieces of `kind` (name, checksum, compressed text), in order."""
    with sqlite3.connect(cache_path(root.absolute())) as db:
        rows = db.execute(
            "SELECT kind, crc, data FROM results WHERE kind LIKE ? ORDER BY kind", (kind + "#%",)
        ).fetchall()
    return [(str(k), int(c), bytes(d)) for k, c, d in rows]


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_cold_warm_and_output_file_are_byte_identical(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    args = ["index", str(generated), "--format", fmt, *TODAY]
    cold, _ = run([*args, "--no-cache"])
    assert len(cold) > 20 * PIECE
    assert all(word.encode() in cold for word in ("Ωμέγα", "Πρώτη πρόταση"))
    assert run(args) == (cold, False)  # made afresh, stored as it is printed
    stored = piece_rows(generated, f"reuse/index/{fmt}")
    assert len(stored) >= 20  # many pieces, each replayed in turn
    assert run(args) == (cold, True)
    out = tmp_path / "index.out"
    assert run([*args, "-o", str(out)]) == (b"", True)  # outside the vault: the same result
    assert out.read_bytes() == cold
    out.write_bytes(b"old")
    assert run([*args, "-o", str(out), "--no-cache"]) == (b"", False)
    assert out.read_bytes() == cold
    os.remove(cache_path(generated.absolute()))
    out.write_bytes(b"old")
    assert run([*args, "-o", str(out)]) == (b"", False)  # made afresh into the file
    assert out.read_bytes() == cold
    assert run(args) == (cold, True)  # ... and stored on the way
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "index.out"]  # no temp file


def test_text_with_every_kind_of_character_replays_exactly(tmp_path: Path) -> None:
    """Pieces cut inside a run of multi-byte characters and lone surrogates (a file name
    that is not UTF-8) join back to the same text."""
    text = "aé😀\udcff" * 3000 + "end"
    path = tmp_path / "cache.sqlite"
    store = TextStore(path, "k", "key", 0, {}, 2**30)
    for start in range(0, len(text), 777):
        store.add(text[start : start + 777])
    store.finish()
    head = stored_head(path, "k")
    assert head is not None and len(head.pieces) > 5
    with stored_text(path, "k", "key", lambda _head: True) as replay:
        assert replay is not None
        assert "".join(replay) == text
    with stored_text(path, "k", "other key", lambda _head: True) as replay:
        assert replay is None


def _replayed_sizes(files: VaultFiles) -> tuple[int, int, int]:
    """Replay the stored index of `files`: (bytes of text, largest piece, peak bytes
    allocated by Python while replaying)."""
    options = ("2026-12-01", 10, None)
    total = largest = 0
    tracemalloc.start()
    try:
        with streamed_text(files, "index/md", options, _no_render) as found:
            assert found.reused
            for piece in found.value:
                total += len(piece)
                largest = max(largest, len(piece))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return total, largest, peak


def _no_render(_vault: object) -> Iterator[str]:
    raise AssertionError("the stored index should have been reused")


def test_memory_does_not_grow_with_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Doubling notes and MOCs quadruples the index; the pieces stored and replayed stay
    at most twice PIECE_BYTES, and replaying holds a small part of the text."""
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    measured = []
    for scale in (1, 2):
        root = chain(tmp_path / f"x{scale}", 150 * scale, 40 * scale)
        text, _ = run(["index", str(root), *TODAY])
        stored = piece_rows(root)
        sizes = [len(zlib.decompress(data)) for _kind, _crc, data in stored]
        assert sum(sizes) == len(text)
        total, largest, peak = _replayed_sizes(scan_vault(root))
        assert total == len(text.decode("utf-8"))
        measured.append((len(text), len(stored), max(sizes), largest, peak))
    (size1, count1, stored1, largest1, peak1), (size2, count2, stored2, largest2, peak2) = measured
    assert size2 > 3.5 * size1 and count2 > 3.5 * count1
    assert max(stored1, stored2, largest1, largest2) <= 2 * PIECE
    assert peak2 < 2 * peak1 and peak2 < size2 / 10, measured


def test_warm_output_file_is_written_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm `index -o FILE` holds what listing the vault takes, not the text: with
    twice the notes and three times the MOCs, the index is over six times larger and
    the peak about twice."""
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    measured = []
    for scale in (1, 2):
        root = chain(tmp_path / f"x{scale}", 150 * scale, 40 if scale == 1 else 120)
        out = tmp_path / f"Index{scale}.md"
        args = ["index", str(root), "-o", str(out), *TODAY]
        run(args)
        tracemalloc.start()
        try:
            assert run(args) == (b"", True)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        measured.append((out.stat().st_size, peak))
    (size1, peak1), (size2, peak2) = measured
    assert size2 > 6 * size1
    assert peak2 < 3 * peak1 and peak2 < size2 / 3, measured


def _damage_one_piece(path: Path, how: str) -> None:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT kind, data FROM results WHERE kind LIKE ? ORDER BY kind", (KIND + "#%",)
        ).fetchall()
        kind, data = rows[len(rows) // 2]
        if how == "flipped byte":  # the row's own checksum no longer matches
            damaged = bytes(data[:10]) + bytes([data[10] ^ 1]) + bytes(data[11:])
            db.execute("UPDATE results SET data = ? WHERE kind = ?", (damaged, kind))
        elif how == "truncated":  # with a checksum made to match: the head's catches it
            cut = bytes(data[: len(data) // 2])
            db.execute(
                "UPDATE results SET data = ?, crc = ? WHERE kind = ?", (cut, zlib.crc32(cut), kind)
            )
        elif how == "missing":
            db.execute("DELETE FROM results WHERE kind = ?", (kind,))
        elif how == "head":
            db.execute("UPDATE results SET data = x'00ff' WHERE kind = ?", (KIND,))


@pytest.mark.parametrize("how", ["flipped byte", "truncated", "missing", "head"])
def test_a_damaged_stored_piece_is_detected_and_the_index_made_again(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    args = ["index", str(generated), *TODAY]
    expected, _ = run([*args, "--no-cache"])
    run(args)
    assert run(args) == (expected, True)
    _damage_one_piece(cache_path(generated.absolute()), how)
    assert run(args) == (expected, False)
    assert run(args) == (expected, True)  # stored again, whole


def test_a_stopped_run_stores_nothing(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose output stops half-way (an interrupt, a full disk) leaves no stored
    result and no stored piece: the next run is made afresh."""
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    files = scan_vault(generated)
    options = ("2026-12-01", 10, None)

    def render(vault: Vault) -> Iterator[str]:
        return markdown_pieces(build_index(vault, today=dt.date(2026, 12, 1)), batch=50)

    with (
        pytest.raises(KeyboardInterrupt),
        streamed_text(files, "index/md", options, render) as found,
    ):
        for number, _piece in enumerate(found.value):
            if number == 10:
                assert len(piece_rows(generated)) > 3  # stored as they are made
                raise KeyboardInterrupt
    path = cache_path(generated.absolute())
    assert stored_head(path, KIND) is None
    assert piece_rows(generated) == []


def test_an_interrupted_output_file_keeps_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "Index.md"
    out.write_bytes(b"old index\n")

    def stopped() -> Iterator[str]:
        yield "new " * 10_000
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_text_pieces_atomic(out, stopped())
    assert out.read_bytes() == b"old index\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Index.md"]


def _limited_files(limit: int) -> None:
    """In the child: writing past `limit` bytes fails (EFBIG) instead of killing it."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_a_write_that_fails_half_way_keeps_the_old_file(
    generated: Path, tmp_path: Path, warm: bool
) -> None:
    """A real write error in the middle of the file (the file-size limit, as a full disk
    would): exit 2, one line, the old file as it was and no temporary file left."""
    env = {
        **os.environ,
        "KBTOOL_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    out = tmp_path / "out" / "Index.md"
    out.parent.mkdir()
    args = [sys.executable, "-m", "kbtool", "index", str(generated), "-o", str(out), *TODAY, "-q"]
    if warm:
        subprocess.run(args, env=env, check=True)
        out.write_bytes(b"old index\n")
    else:
        out.write_bytes(b"old index\n")
        args.append("--no-cache")
    done = subprocess.run(
        args, env=env, capture_output=True, text=True, preexec_fn=lambda: _limited_files(100_000)
    )
    assert done.returncode == 2
    assert done.stderr == f"kbtool: error: {out}: cannot write (File too large)\n"
    assert out.read_bytes() == b"old index\n"
    assert [p.name for p in out.parent.iterdir()] == ["Index.md"]
