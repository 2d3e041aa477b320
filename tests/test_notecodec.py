"""The parse cache stores each note deflated against a dictionary of the file: smaller
than the notes themselves, and a damaged row or dictionary is a miss, never a wrong note."""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from benchmark_scripts import load_script

from kbtool.notes.parse import parse_note
from kbtool.vault import notecodec
from kbtool.vault.cache import cache_path

TODAY = "2026-11-26"


def _note(i: int) -> bytes:
    return f"---\ntitle: N{i}\ntags: [a, b]\n---\n# N{i}\n\nSee [[N{i + 1}]].\n".encode()


def test_a_note_comes_back_whole_and_damage_is_a_miss() -> None:
    notes = [parse_note(f"f/N{i}.md", _note(i), 0) for i in range(8)]
    dictionary = notecodec.make_dictionary(notecodec.pickled(n) for n in notes[:4])
    assert 0 < len(dictionary) <= notecodec.DICTIONARY_BYTES
    for note in notes:
        blob, crc = notecodec.encode(notecodec.pickled(note), dictionary)
        assert len(blob) < len(notecodec.pickled(note)) / 2
        assert notecodec.decode(blob, crc, dictionary) == note
        assert notecodec.decode(blob[:-3], crc, dictionary) is None  # checksum
        truncated = blob[:-3]
        assert notecodec.decode(truncated, notecodec.zlib.crc32(truncated), dictionary) is None
        assert notecodec.decode(blob, crc, None) is None  # no dictionary: no note
        other = b"x" * len(dictionary)
        assert notecodec.decode(blob, crc, other) is None  # another dictionary: not a note


def _run(vault: Path, cache: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KBTOOL_CACHE_DIR": str(cache), "KBTOOL_PARALLEL": "off"}
    argv = [sys.executable, "-m", "kbtool", command[0], str(vault), *command[1:]]
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=False)


def _check(vault: Path, cache: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return _run(vault, cache, "check", "--today", TODAY, *flags)


def test_the_cache_file_is_smaller_than_the_notes(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    load_script("generate_vault").generate(400, vault, seed=4)
    notes = sum(p.stat().st_size for p in vault.rglob("*.md"))
    cold = _check(vault, tmp_path / "cache", "--no-cache")
    first = _check(vault, tmp_path / "cache")
    assert (first.stdout, first.returncode) == (cold.stdout, cold.returncode)
    stored = cache_path(vault.absolute()).name
    size = (tmp_path / "cache" / stored).stat().st_size
    assert size < 0.9 * notes, (size, notes)
    # each command's stored result too (the summaries, the index and graph texts)
    for command in (("index", "--today", TODAY), ("graph", "--format", "json"), ("stats",)):
        first = _run(vault, tmp_path / "cache", *command)
        assert first.returncode == 0, first.stderr
        assert _run(vault, tmp_path / "cache", *command).stdout == first.stdout  # replayed
        size = (tmp_path / "cache" / stored).stat().st_size
        assert size < notes, (command, size, notes)


def _rows_decode(path: Path) -> bool:
    """Whether every stored note decodes with the file's dictionary."""
    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT value FROM meta WHERE key = 'dictionary'").fetchone()
        rows = db.execute("SELECT crc, note FROM notes").fetchall()
    dictionary = base64.b64decode(text, validate=True)
    return bool(rows) and all(notecodec.decode(b, c, dictionary) is not None for c, b in rows)


def test_a_damaged_dictionary_makes_every_note_a_miss_and_is_mended(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    load_script("generate_vault").generate(60, vault, seed=4)
    cold = _check(vault, tmp_path / "cache", "--no-cache")
    assert _check(vault, tmp_path / "cache").stdout == cold.stdout
    path = tmp_path / "cache" / cache_path(vault.absolute()).name
    assert _rows_decode(path)
    for damage in ("not base64 !", "eHh4eHh4eHh4eA=="):  # garbage, then a wrong dictionary
        with sqlite3.connect(path) as db:
            db.execute("UPDATE meta SET value = ? WHERE key = 'dictionary'", (damage,))
            db.execute("DELETE FROM results")  # so the check reads its notes again
        again = _check(vault, tmp_path / "cache")
        assert (again.stdout, again.returncode) == (cold.stdout, cold.returncode)
        assert _rows_decode(path)  # parsed again and stored with the file's dictionary
