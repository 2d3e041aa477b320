"""The parse cache: parsed notes kept in one SQLite file, so a second run parses only
what changed.

A note is reused when its file's bytes hash to the same SHA-256 as when it was
parsed (reading and hashing a note costs a twentieth of parsing it); its
modification time is refreshed from the file. The cache lives in the user's
cache folder (`$KBTOOL_CACHE_DIR`, else `$XDG_CACHE_HOME/kbtool`, else
`~/.cache/kbtool`), one file per vault, never inside the vault. It can never
fail a command: any SQLite or pickle error means parsing as if there were no
cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import sqlite3
from pathlib import Path

from kbtool.base.version import __version__
from kbtool.model import Note

#: Bump when the note model or the parser changes what a note holds.
FORMAT = f"{__version__}/2"


def cache_folder() -> Path:
    configured = os.environ.get("KBTOOL_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kbtool"


def cache_path(vault_root: Path) -> Path:
    """The cache file of the vault at `vault_root` (absolute)."""
    key = hashlib.sha256(os.fsencode(vault_root)).hexdigest()[:20]
    return cache_folder() / f"{key}.sqlite"


def _key(path: str) -> bytes:
    """A note path as stored: its bytes on disk, so that a name that is not UTF-8
    (decoded with surrogate escapes, as Python lists it) can be stored too."""
    try:
        return path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name decodes to: stored, never found
        return path.encode("utf-8", "surrogatepass")


def _path_from_key(key: object) -> str:
    if isinstance(key, bytes):
        return key.decode("utf-8", "surrogateescape")
    return str(key)


class ParseCache:
    """Notes parsed in earlier runs, by vault-relative path."""

    def __init__(self, vault_root: Path) -> None:
        self.path = cache_path(vault_root)
        self.hits = 0
        self.misses = 0
        self._stored: dict[str, tuple[str, bytes]] = {}
        self._fresh: dict[str, Note] = {}
        self._ok = self._read()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5)
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS notes (path TEXT PRIMARY KEY, sha256 TEXT, note BLOB)"
        )
        return db

    def _read(self) -> bool:
        try:
            with contextlib.closing(self._connect()) as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
                if row is None or row[0] != FORMAT:
                    return True  # empty or from another version: start afresh
                self._stored = {
                    _path_from_key(key): (sha, blob)
                    for key, sha, blob in db.execute("SELECT path, sha256, note FROM notes")
                }
        except (sqlite3.Error, OSError):
            return False
        return True

    def get(self, path: str, sha256: str, mtime_ns: int) -> Note | None:
        """The note parsed from these exact bytes, or None."""
        stored = self._stored.get(path)
        if stored is None or stored[0] != sha256:
            self.misses += 1
            return None
        try:
            note = pickle.loads(stored[1])
        except Exception:  # a damaged row is a miss, never a crash
            self.misses += 1
            return None
        if not isinstance(note, Note):
            self.misses += 1
            return None
        self.hits += 1
        self._fresh[path] = note
        if note.mtime_ns != mtime_ns:
            note = dataclasses.replace(note, mtime_ns=mtime_ns)
        return note

    def put(self, note: Note) -> None:
        self._fresh[note.path] = note

    def save(self) -> None:
        """Store this run's notes and forget files that are gone, in one transaction."""
        if not self._ok:
            return
        changed = [
            (_key(path), note.sha256, pickle.dumps(note, protocol=pickle.HIGHEST_PROTOCOL))
            for path, note in self._fresh.items()
            if self._stored.get(path, ("",))[0] != note.sha256
        ]
        gone = [(_key(path),) for path in self._stored if path not in self._fresh]
        if not changed and not gone and self._stored:
            return
        try:
            with contextlib.closing(self._connect()) as db, db:
                row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
                if row is None or row[0] != FORMAT:
                    db.execute("DELETE FROM notes")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
                db.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?)", changed)
                db.executemany("DELETE FROM notes WHERE path = ?", gone)
        except (sqlite3.Error, OSError):
            return
