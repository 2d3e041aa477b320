"""The cache: parsed notes (and, for the layers above, small results) in one SQLite file
per vault, so that a second run parses only what changed.

A note is trusted without reading it when its file's size, modification time (ns)
and inode are those recorded, as git trusts its index, with git's rule for racily
clean files: a file modified in the same second as the run that recorded it began
(or later) could have changed again unseen, so it is read and hashed again. A file
read again is reused when its bytes hash to the same SHA-256.

The cache lives in the user's cache folder (`$KBTOOL_CACHE_DIR`, else
`$XDG_CACHE_HOME/kbtool`, else `~/.cache/kbtool`), one file per vault, never
inside the vault. It is keyed by kbtool's version and code (`FORMAT`). It can
never fail a command or give a wrong answer: a file that is not this kbtool's
cache (garbage, truncated, another schema or format) is removed and rebuilt, a
row whose checksum does not match is a miss, and an SQLite that is busy or
cannot be written means running as if there were no cache. Two processes may
use it at once (write-ahead log, busy timeout).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import hashlib
import os
import pickle
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from kbtool.base.version import __version__
from kbtool.model import Note
from kbtool.vault.notecodec import DICTIONARY_NOTES, decode, encode, make_dictionary, pickled


def _code_stamp() -> str:
    """Size and modification time of every module of kbtool: a changed parser or rule
    in a checkout invalidates the cache even when the version number did not move."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for name in sorted(f for f in files if f.endswith(".py")):
            with contextlib.suppress(OSError):
                status = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{status.st_size}:{status.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


#: Bump the number when the note model or the tables change.
FORMAT = f"{__version__}/9/{_code_stamp()}"
#: What a cache file of kbtool starts its name with (`kbtool cache clear --all` removes these).
FILE_PREFIX = "kbtool-"
SUFFIX = ".sqlite"

_TABLES = {
    "meta": "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
    "notes": (
        "CREATE TABLE notes (path BLOB PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
        "ino INTEGER, ctime_ns INTEGER, checked_ns INTEGER, sha256 TEXT, crc INTEGER, note BLOB)"
    ),
    "results": (
        "CREATE TABLE results (kind TEXT PRIMARY KEY, key TEXT, checked_ns INTEGER, "
        "crc INTEGER, data BLOB)"
    ),
}
#: SQLite errors that say the cache is in use or cannot be written now, not that it is bad.
_UNAVAILABLE = frozenset(
    {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_IOERR"}
    | {"SQLITE_FULL", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_PROTOCOL"}
    | {"SQLITE_TOOBIG"}  # one value over SQLite's limit: that value is not kept, the file is fine
)
_BUSY_MS = 10_000


class CacheUnavailable(Exception):
    """The cache cannot be used this run (busy, read-only, no space); nothing is wrong with it."""


def cache_folder() -> Path:
    configured = os.environ.get("KBTOOL_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kbtool"


def cache_path(vault_root: Path) -> Path:
    """The cache file of the vault at `vault_root` (absolute)."""
    key = hashlib.sha256(os.fsencode(vault_root)).hexdigest()[:20]
    return cache_folder() / f"{FILE_PREFIX}{key}{SUFFIX}"


def cache_files(path: Path) -> list[Path]:
    """The cache file and the write-ahead log files SQLite keeps beside it."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def remove_cache_file(path: Path) -> bool:
    """Delete a cache file with its log files; whether there was one."""
    found = False
    for part in cache_files(path):
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
            found = True
    return found


def _is_bad_file(exc: sqlite3.Error) -> bool:
    """An error that says the file is not a sound SQLite database (as opposed to busy)."""
    name = getattr(exc, "sqlite_errorname", "")
    if name in _UNAVAILABLE:
        return False
    return isinstance(exc, sqlite3.DatabaseError)


def _check_schema(db: sqlite3.Connection) -> bool:
    """Whether the database holds exactly this kbtool's tables and format; creates them in
    an empty database."""
    found = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    if not found:
        db.execute("BEGIN IMMEDIATE")
        try:
            if not db.execute("SELECT 1 FROM sqlite_master").fetchone():  # nobody came first
                for sql in _TABLES.values():
                    db.execute(sql)
                db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
                db.execute("INSERT INTO meta VALUES ('created_ns', ?)", (str(time.time_ns()),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        found = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    if found != _TABLES:
        return False
    row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    return row is not None and row[0] == FORMAT


def _connect_once(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None)
    try:
        db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        if not _check_schema(db):
            raise sqlite3.DatabaseError("not this kbtool's cache (another schema or format)")
    except BaseException:
        db.close()
        raise
    return db


def connect(path: Path) -> sqlite3.Connection:
    """The cache database at `path`, created if absent and rebuilt if it is not this
    kbtool's (garbage, truncated, another schema or version). `CacheUnavailable` when it
    cannot be used now."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return _connect_once(path)
        except sqlite3.Error as exc:
            if not _is_bad_file(exc):
                raise
        remove_cache_file(path)
        return _connect_once(path)
    except (sqlite3.Error, OSError) as exc:
        raise CacheUnavailable(str(exc)) from exc


@contextlib.contextmanager
def session(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection for one job; an SQLite error inside that shows a damaged file removes
    the file (the next run rebuilds it) and becomes `CacheUnavailable`, like any other."""
    db = connect(path)
    try:
        yield db
    except sqlite3.Error as exc:
        close_quietly(db)
        raise failed(path, exc) from exc
    finally:
        close_quietly(db)


def failed(path: Path, exc: sqlite3.Error) -> CacheUnavailable:
    """What an SQLite error in a job on the cache at `path` becomes: `CacheUnavailable`,
    once the file is removed if the error shows it damaged (the next run rebuilds it)."""
    if _is_bad_file(exc):
        remove_cache_file(path)
    return CacheUnavailable(str(exc))


def close_quietly(db: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        db.close()


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


def dumps(value: object) -> tuple[bytes, int]:
    """A value as stored, with the checksum that `loads` verifies."""
    blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return blob, zlib.crc32(blob)


def loads(blob: object, crc: object) -> object | None:
    """The value stored as `blob`, or None when it is damaged (checksum or pickle)."""
    if not isinstance(blob, bytes) or zlib.crc32(blob) != crc:
        return None
    try:
        value: object = pickle.loads(blob)
    except Exception:  # a damaged row is a miss, never a crash
        return None
    return value


def packed(value: object, level: int = 1) -> bytes:
    """A value pickled and deflated at zlib's `level`, for a result stored whole."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), level)


def unpacked(blob: object) -> object | None:
    """The value `packed` in `blob`, or None for anything else (the row's checksum was
    verified already: this is a row of another shape)."""
    if not isinstance(blob, bytes):
        return None
    try:
        value: object = pickle.loads(zlib.decompress(blob))
    except Exception:  # a foreign row is a miss, never a crash
        return None
    return value


class FileStamp(NamedTuple):
    """What is compared to trust a file unread: its size, modification time, inode and
    change time (as git compares them: a `chmod` that makes a note unreadable, or a
    rewrite that restored the modification time, changes the change time).

    A listing keeps each note's stamp rather than its `os.stat_result` (a third of the
    memory: 640 bytes a note); the `st_` names read it as they read a stat result."""

    size: int
    mtime_ns: int
    ino: int
    ctime_ns: int

    @classmethod
    def of(cls, status: os.stat_result | FileStamp) -> FileStamp:
        if isinstance(status, FileStamp):
            return status
        return cls(status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns)

    @property
    def st_size(self) -> int:
        return self.size

    @property
    def st_mtime_ns(self) -> int:
        return self.mtime_ns


def racily_clean(mtime_ns: int, checked_ns: int) -> bool:
    """Whether a file may have changed unseen after a run that began at `checked_ns`
    recorded it: modified in that second or later (git's rule, in whole seconds, since
    some file systems keep coarse times)."""
    return mtime_ns // 1_000_000_000 >= checked_ns // 1_000_000_000


#: Notes parsed before they are stored, in a transaction of their own, and dropped.
SAVE_EVERY = 1000
_INSERT_NOTE = "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


class _Row(NamedTuple):
    stamp: FileStamp
    checked_ns: int
    sha256: str
    crc: int
    blob: bytes


class ParseCache:
    """Notes parsed in earlier runs, by vault-relative path.

    `started_ns` is when this run began looking at files: entries it writes are
    trusted by later runs only for files modified before that second. A `lazy` cache
    reads a note's row only when that note is asked for (the incremental check reads
    a few notes of many), and forgets only the files that `save` is told are gone.
    """

    def __init__(
        self, vault_root: Path, started_ns: int | None = None, *, lazy: bool = False
    ) -> None:
        self.path = cache_path(vault_root)
        self.lazy = lazy
        self.started_ns = time.time_ns() if started_ns is None else started_ns
        self.hits = 0  # notes taken from the cache (trusted or hashed the same)
        self.misses = 0  # notes parsed
        self.hashed = 0  # files read and hashed
        self._stored: dict[str, _Row] = {}
        self._seen: set[str] = set()
        self._changed: dict[str, tuple[FileStamp, Note]] = {}  # parsed this run
        self._refreshed: dict[str, FileStamp] = {}  # hashed the same: stamp and time updated
        self._dictionary: bytes | None = None  # what the stored notes are deflated with
        self._ok = self._read()

    def _read(self) -> bool:
        if self.lazy:
            return True
        try:
            with session(self.path) as db:
                for key, size, mtime, ino, ctime, checked, sha, crc, blob in db.execute(
                    "SELECT path, size, mtime_ns, ino, ctime_ns, checked_ns, sha256, crc, note "
                    "FROM notes"
                ):
                    stamp = FileStamp(size, mtime, ino, ctime)
                    self._stored[_path_from_key(key)] = _Row(stamp, checked, sha, crc, blob)
                self._dictionary = _read_dictionary(db)  # after the rows: see the function
        except CacheUnavailable:
            self._stored = {}
            return False
        return True

    def _row(self, path: str) -> _Row | None:
        row = self._stored.get(path)
        if row is not None or not self.lazy or path in self._seen:
            return row
        try:
            with session(self.path) as db:
                found = db.execute(
                    "SELECT size, mtime_ns, ino, ctime_ns, checked_ns, sha256, crc, note FROM notes "
                    "WHERE path = ?",
                    (_key(path),),
                ).fetchone()
                if found is not None and self._dictionary is None:
                    self._dictionary = _read_dictionary(db)
        except CacheUnavailable:
            return None
        if found is None:
            return None
        size, mtime, ino, ctime, checked, sha, crc, blob = found
        stamp = FileStamp(size, mtime, ino, ctime)
        row = self._stored[path] = _Row(stamp, checked, sha, crc, blob)
        return row

    def _note(self, path: str, row: _Row) -> Note | None:
        note = decode(row.blob, row.crc, self._dictionary)
        if note is None or note.path != path or note.sha256 != row.sha256:
            return None
        return note

    def trusted(self, path: str, stamp: FileStamp) -> Note | None:
        """The note, without reading its file, when the file's stamp is the recorded one
        and the file is not racily clean; None when it must be read."""
        row = self._row(path)
        if row is None or row.stamp != stamp or racily_clean(stamp.mtime_ns, row.checked_ns):
            return None
        note = self._note(path, row)
        if note is None:
            return None
        self.hits += 1
        self._mark_seen(path)
        if note.mtime_ns != stamp.mtime_ns:  # the row's stamp was refreshed, not its note
            note = dataclasses.replace(note, mtime_ns=stamp.mtime_ns)
        return note

    def recorded_sha(self, path: str) -> str:
        """The SHA-256 of the bytes the stored note of `path` was parsed from ("" for none)."""
        row = self._stored.get(path)
        return "" if row is None else row.sha256

    def get(self, path: str, sha256: str, stamp: FileStamp | None) -> Note | None:
        """The note parsed from these exact bytes (read and hashed just now), or None."""
        self.hashed += 1
        row = self._row(path)
        note = self._note(path, row) if row is not None and row.sha256 == sha256 else None
        if row is None or note is None:
            self.misses += 1
            return None
        self.hits += 1
        self._mark_seen(path)
        if stamp is not None:
            self._refreshed[path] = stamp
            if note.mtime_ns != stamp.mtime_ns:
                note = dataclasses.replace(note, mtime_ns=stamp.mtime_ns)
        return note

    def _mark_seen(self, path: str) -> None:
        # a full cache forgets the stored files not seen; with none stored, nothing to keep
        if self.lazy or path in self._stored:
            self._seen.add(path)

    def put(self, note: Note, stamp: FileStamp | None) -> None:
        self._mark_seen(note.path)
        if stamp is not None:  # a note that could not be read is parsed again next time
            self._changed[note.path] = (stamp, note)
            if len(self._changed) >= SAVE_EVERY:
                self._store_changed()

    def _rows(self, dictionary: bytes, first: dict[str, bytes]) -> Iterator[tuple[object, ...]]:
        """The notes parsed and not stored yet, as rows, made one at a time as SQLite
        takes them (a list held every note's bytes at once)."""
        started = self.started_ns
        for path, (stamp, note) in self._changed.items():
            data = first.pop(path, b"") or pickled(note)
            blob, crc = encode(data, dictionary)
            yield (_key(path), *stamp, started, note.sha256, crc, blob)

    def _write_changed(self, db: sqlite3.Connection) -> None:
        """In the open transaction: the notes parsed and not stored yet, deflated with the
        file's dictionary, made here from the first of them when the file has none (in
        the transaction: one per file, and every row written with it finds it)."""
        if not self._changed:
            return
        first = {
            path: pickled(note)
            for path, (_stamp, note) in islice(self._changed.items(), DICTIONARY_NOTES)
        }
        dictionary = _read_dictionary(db)
        if dictionary is None:
            dictionary = make_dictionary(first.values())
            text = base64.b64encode(dictionary).decode("ascii")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('dictionary', ?)", (text,))
        db.executemany(_INSERT_NOTE, self._rows(dictionary, first))

    def _store_changed(self) -> None:
        """Store the notes parsed so far, in a transaction of their own, and drop them
        (a cold load of 100,000 notes held every note's stamp and entry until its end)."""
        if self._ok:
            try:
                with session(self.path) as db:
                    db.execute("PRAGMA synchronous = NORMAL")  # a cache: losing rows is fine
                    db.execute("BEGIN IMMEDIATE")
                    self._write_changed(db)
                    db.execute("COMMIT")
            except CacheUnavailable:
                self._ok = False
        self._changed.clear()

    def save(self, gone_files: Iterable[str] = ()) -> None:
        """Store this run's notes and forget files that are gone, in one transaction: the
        notes not asked for, or with a lazy cache the `gone_files`. (A large load stores
        its notes `SAVE_EVERY` at a time as they are parsed: rows that are each sound.)"""
        if not self._ok:
            return
        started = self.started_ns
        refreshed = [(*stamp, started, _key(path)) for path, stamp in self._refreshed.items()]
        if self.lazy:
            gone = [(_key(path),) for path in gone_files]
        else:
            gone = [(_key(path),) for path in self._stored if path not in self._seen]
        if not self._changed and not refreshed and not gone:
            return
        with contextlib.suppress(CacheUnavailable), session(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            self._write_changed(db)
            db.executemany(
                "UPDATE notes SET size = ?, mtime_ns = ?, ino = ?, ctime_ns = ?, checked_ns = ? "
                "WHERE path = ?",
                refreshed,
            )
            db.executemany("DELETE FROM notes WHERE path = ?", gone)
            db.execute("COMMIT")
        self._changed.clear()


def _read_dictionary(db: sqlite3.Connection) -> bytes | None:
    """The dictionary the file's notes are deflated with (`kbtool.vault.notecodec`), made
    by the first run that stored a note and never changed after: a row read before it
    was written with it, so reading it after the rows always finds it."""
    row = db.execute("SELECT value FROM meta WHERE key = 'dictionary'").fetchone()
    if row is None:
        return None
    try:
        return base64.b64decode(row[0], validate=True)
    except (binascii.Error, TypeError, ValueError):  # damaged: every note is a miss
        return None


def read_result(path: Path, kind: str) -> tuple[str, int, object] | None:
    """The (key, checked_ns, value) stored for `kind` (one per kind), or None."""
    try:
        with session(path) as db:
            row = db.execute(
                "SELECT key, checked_ns, crc, data FROM results WHERE kind = ?", (kind,)
            ).fetchone()
    except CacheUnavailable:
        return None
    if row is None:
        return None
    value = loads(row[3], row[2])
    return None if value is None else (row[0], row[1], value)


def write_result(path: Path, kind: str, key: str, checked_ns: int, value: object) -> None:
    """Store `value` for `kind` under `key`, replacing what was stored for that kind."""
    blob, crc = dumps(value)
    with contextlib.suppress(CacheUnavailable), session(path) as db:
        db.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)",
            (kind, key, checked_ns, crc, blob),
        )


@dataclasses.dataclass(frozen=True)
class CacheInfo:
    """What `kbtool cache info` reports about one vault's cache file.

    `state`: "absent", "current" (this kbtool's format), "stale" (another version or
    build of kbtool: rebuilt on the next run) or "damaged" (not a cache kbtool can
    read: rebuilt on the next run).
    """

    path: Path
    state: str
    size: int = 0  # bytes, with the write-ahead log files
    notes: int = 0
    format: str | None = None
    written_ns: int | None = None  # when a run last changed it


def describe(path: Path) -> CacheInfo:
    """Look at the cache file at `path` without creating, changing or rebuilding it."""
    if not path.is_file():
        return CacheInfo(path, "absent")
    sizes = []
    for part in cache_files(path)[:2]:  # the file and its log; the -shm index says nothing
        with contextlib.suppress(OSError):
            sizes.append((part.stat().st_size, part.stat().st_mtime_ns))
    size, written = sum(s for s, _ in sizes), max(m for _, m in sizes)
    try:  # only SELECTs: a read-only connection would leave its -shm and -wal files behind
        with contextlib.closing(sqlite3.connect(path, timeout=_BUSY_MS / 1000)) as db:
            found = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
            if found != _TABLES:
                return CacheInfo(path, "damaged", size, written_ns=written)
            row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            notes = db.execute("SELECT count(*) FROM notes").fetchone()[0]
    except sqlite3.Error:
        return CacheInfo(path, "damaged", size, written_ns=written)
    form = row[0] if row else None
    state = "current" if form == FORMAT else "stale"
    return CacheInfo(path, state, size, int(notes), form, written)


def kbtool_cache_files(folder: Path) -> list[Path]:
    """The files of `folder` that are kbtool's caches (with their log files), and no
    other: `kbtool-<key>.sqlite`, the site builds' `kbtool-site-<key>.json` and, from
    earlier versions, `<20 hex digits>.sqlite`."""
    found = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        stem = entry.name
        for ending in ("-wal", "-shm"):
            stem = stem.removesuffix(ending)
        if not entry.is_file():
            continue
        if entry.name.startswith(FILE_PREFIX + "site-") and entry.name.endswith(".json"):
            found.append(entry)
            continue
        if not stem.endswith(SUFFIX):
            continue
        key = stem.removesuffix(SUFFIX)
        legacy = len(key) == 20 and all(c in "0123456789abcdef" for c in key)
        if key.startswith(FILE_PREFIX) or legacy:
            found.append(entry)
    return found
