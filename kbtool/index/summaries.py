"""Summaries kept between runs, so that a warm `kbtool index` reads no note again.

A summary depends only on the note's bytes, so it is stored by the SHA-256 the
vault already computed for them, in one SQLite file beside the parse cache
(`<vault key>.summaries.sqlite` in the cache folder). Like the parse cache it can
never fail a command: any SQLite error means summarising as if it were empty.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from kbtool.base.version import __version__
from kbtool.vault.cache import cache_path

#: Bump when the summary rules change what a summary says.
FORMAT = f"{__version__}/summaries/1"


def summaries_path(vault_root: Path) -> Path:
    return cache_path(vault_root).with_suffix(".summaries.sqlite")


class SummaryCache:
    """Summaries by note SHA-256; `save()` keeps those used in this run and no others."""

    def __init__(self, vault_root: Path) -> None:
        self.path = summaries_path(vault_root)
        self._stored: dict[str, str] = {}
        self._used: dict[str, str] = {}
        self._ok = self._read()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5)
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS summaries (sha256 TEXT PRIMARY KEY, summary TEXT)")
        return db

    def _read(self) -> bool:
        try:
            with contextlib.closing(self._connect()) as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
                if row is None or row[0] != FORMAT:
                    return True
                self._stored = {
                    sha: text
                    for sha, text in db.execute("SELECT sha256, summary FROM summaries")
                    if isinstance(sha, str) and isinstance(text, str)
                }
        except (sqlite3.Error, OSError):
            return False
        return True

    def get(self, sha256: str) -> str | None:
        found = self._stored.get(sha256)
        if found is not None:
            self._used[sha256] = found
        return found

    def put(self, sha256: str, summary: str) -> None:
        self._used[sha256] = summary

    def save(self) -> None:
        if not self._ok or (self._used.keys() == self._stored.keys()):
            return
        try:
            with contextlib.closing(self._connect()) as db, db:
                db.execute("DELETE FROM summaries")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
                db.executemany("INSERT INTO summaries VALUES (?, ?)", self._used.items())
        except (sqlite3.Error, OSError):
            return
