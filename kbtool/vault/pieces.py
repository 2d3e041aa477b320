"""A large value stored in the cache as a chain of bounded pieces, and read back piece
by piece, so that neither storing nor reading holds the whole of it: a command's text
output (`TextStore`, `stored_text`), or any value made in parts (`ChainStore`,
`each_piece`: the check's state for the next run, `kbtool.lint.stored_state`).

The output of `index` grows with MOCs times notes (214 MB of Markdown at 10,000
generated notes, 21 GB at 100,000): joined whole, it cost more memory than the
vault, and past 1 GB SQLite refuses it. Here it is stored as rows of the cache's
results table (`kbtool.vault.cache`, so its format key, `kbtool cache clear` and
`cache info` cover them): one row per piece of about `PIECE_BYTES` of UTF-8
(compressed, checksummed), under `KIND#GENERATION/NUMBER`, and one head row under
`KIND` that names the generation and lists each piece's checksum and size. The head
is written last, in one transaction that also removes every other generation, so a
reader sees a whole chain or none; a run killed while storing leaves rows that the
next stored result of that kind removes.

A stored text is replayed only after every piece has been checked against the head
(a damaged, truncated or missing piece is a miss: the command computes its output
again), within one read transaction, so a writer replacing it meanwhile changes
nothing the reader sees. A text whose compressed pieces pass `limit` is not kept:
the head then records that this key is too large, so later runs with the same
inputs stream their output without trying to store it again.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from kbtool.errors import KbtoolError
from kbtool.vault.cache import CacheUnavailable, close_quietly, connect, dumps, failed, loads, session

#: Bytes of UTF-8 text gathered before a piece is compressed and stored.
PIECE_BYTES = 2**20
_TOO_LARGE = "too large"
_CHAIN = "pieces"


class StoredTextLost(KbtoolError):
    """The stored text became unreadable while it was being written out (an I/O error in
    the cache file after its pieces were checked); what was written is incomplete."""


@dataclass(frozen=True)
class Head:
    """What the head row of a stored text says: the key it was stored under, when the
    run that stored it began, the notes it vouches for by hash, and its pieces."""

    key: str
    checked_ns: int
    checked: dict[str, str]
    generation: str
    pieces: tuple[tuple[int, int], ...]  # (CRC-32, size) of each compressed piece
    too_large: bool


def _piece_kind(kind: str, generation: str, number: int) -> str:
    return f"{kind}#{generation}/{number:09d}"


def _range(prefix: str) -> tuple[str, str]:
    """The keys that start with `prefix` (ending in "#" or "/") are those in [low, high)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _head_value(head: Head) -> tuple[object, ...]:
    state = _TOO_LARGE if head.too_large else _CHAIN
    return (state, head.generation, head.pieces, head.checked)


def _is_pieces(value: object) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(p, tuple) and len(p) == 2 and all(isinstance(n, int) for n in p) for p in value
    )


def _head_from(key: object, checked_ns: object, crc: object, data: object) -> Head | None:
    """The head stored in a row, or None for a damaged or foreign one."""
    value = loads(data, crc)
    if not (isinstance(key, str) and isinstance(checked_ns, int) and isinstance(value, tuple)):
        return None
    if len(value) != 4:
        return None
    state, generation, pieces, checked = value
    if state not in (_CHAIN, _TOO_LARGE) or not isinstance(generation, str):
        return None
    if not _is_pieces(pieces) or not isinstance(checked, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in checked.items()):
        return None
    return Head(key, checked_ns, checked, generation, pieces, state == _TOO_LARGE)


def _read_head(db: sqlite3.Connection, kind: str) -> Head | None:
    row = db.execute(
        "SELECT key, checked_ns, crc, data FROM results WHERE kind = ?", (kind,)
    ).fetchone()
    return None if row is None else _head_from(*row)


def stored_head(path: Path, kind: str) -> Head | None:
    """The head stored for `kind`, or None (none, damaged, or the cache unavailable)."""
    try:
        with session(path) as db:
            return _read_head(db, kind)
    except CacheUnavailable:
        return None


def _piece(db: sqlite3.Connection, kind: str, head: Head, number: int) -> bytes | None:
    """Piece `number` of the chain, compressed, when it is the one the head lists."""
    row = db.execute(
        "SELECT crc, data FROM results WHERE kind = ?",
        (_piece_kind(kind, head.generation, number),),
    ).fetchone()
    if row is None:
        return None
    crc, data = row
    expected_crc, expected_size = head.pieces[number]
    if not isinstance(data, bytes) or len(data) != expected_size:
        return None
    if crc != expected_crc or zlib.crc32(data) != expected_crc:
        return None
    return data


def _replayed(db: sqlite3.Connection, kind: str, head: Head) -> Iterator[str]:
    """The stored text, one piece at a time (each checked already)."""
    for number in range(len(head.pieces)):
        try:
            data = _piece(db, kind, head, number)
            text = None if data is None else zlib.decompress(data).decode("utf-8", "surrogatepass")
        except (sqlite3.Error, zlib.error, UnicodeDecodeError) as exc:
            raise StoredTextLost(f"the stored result became unreadable ({exc})") from exc
        if text is None:
            raise StoredTextLost("the stored result changed while it was read")
        yield text


def _sound_chain(
    db: sqlite3.Connection, kind: str, key: str, vouch: Callable[[Head], bool]
) -> Head | None:
    """The head of the text stored for `kind` under `key` when it and every piece it
    lists are whole and `vouch` accepts it; read in the transaction this begins."""
    db.execute("BEGIN")
    head = _read_head(db, kind)
    if head is None or head.key != key or head.too_large or not vouch(head):
        return None
    if not all(_piece(db, kind, head, n) is not None for n in range(len(head.pieces))):
        return None
    return head


@contextlib.contextmanager
def stored_text(
    path: Path, kind: str, key: str, vouch: Callable[[Head], bool]
) -> Iterator[Iterator[str] | None]:
    """The text stored for `kind` under `key`, as an iterator of its pieces, when the
    head is sound, `vouch(head)` accepts it (its notes still hold the bytes it was made
    from) and every piece is whole; else None. The pieces must be read inside the
    block: it holds the read transaction that keeps them as they were checked."""
    began = False
    try:
        with session(path) as db:
            head = _sound_chain(db, kind, key, vouch)
            began = True
            yield None if head is None else _replayed(db, kind, head)
    except CacheUnavailable as exc:
        if began:
            raise StoredTextLost(f"the stored result became unreadable ({exc})") from exc
        yield None


def each_piece(path: Path, kind: str, key: str, use: Callable[[bytes], bool]) -> bool:
    """Give `use` each piece (decompressed) of the chain stored for `kind` under `key`,
    in order, in one read transaction; whether the chain was whole and `use` took every
    piece. A missing, damaged or too-large chain, a piece that does not match its head
    or a cache that fails is False (a miss), never an error."""
    try:
        with session(path) as db:
            db.execute("BEGIN")
            head = _read_head(db, kind)
            if head is None or head.key != key or head.too_large:
                return False
            for number in range(len(head.pieces)):
                data = _piece(db, kind, head, number)
                if data is None or not use(zlib.decompress(data)):
                    return False
    except (CacheUnavailable, zlib.error):
        return False
    return True


@dataclass
class ChainStore:
    """Stores a chain of pieces as they are made (`add_piece` each, then `finish`), or
    drops it when its compressed pieces pass `limit`, the cache fails, or `abandon` is
    called. Until `finish`, no reader sees any of it."""

    path: Path
    kind: str
    key: str
    checked_ns: int
    checked: dict[str, str]
    limit: int
    generation: str = field(default_factory=lambda: secrets.token_hex(8))
    stored: int = 0  # compressed bytes stored so far
    _pieces: list[tuple[int, int]] = field(default_factory=list)
    _state: str = "storing"  # "storing", "too large" or "dropped"
    _db: sqlite3.Connection | None = None  # the chain's connection, while it is stored
    #: zlib's level: the fastest for state rewritten on every change.
    LEVEL: ClassVar[int] = 1

    @property
    def storing(self) -> bool:
        return self._state == "storing"

    def add_piece(self, raw: bytes | bytearray) -> None:
        """Compress and store the next piece (nothing once the chain is dropped)."""
        if self._state != "storing":
            return
        data = zlib.compress(raw, self.LEVEL)
        if self.stored + len(data) > self.limit:
            self._state = _TOO_LARGE
            self._remove_mine()
            return
        crc = zlib.crc32(data)
        number = len(self._pieces)
        row = (
            _piece_kind(self.kind, self.generation, number),
            self.key,
            self.checked_ns,
            crc,
            data,
        )
        if not self._run(
            lambda db: db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)", row)
        ):
            return
        self._pieces.append((crc, len(data)))
        self.stored += len(data)

    def _run(self, job: Callable[[sqlite3.Connection], object]) -> bool:
        """Run `job` on the cache; a cache that fails drops the chain (never the command).

        One connection serves the whole chain, opened for its first piece and closed when
        it is finished or dropped: a connection a piece cost each piece a schema check and,
        at its close, a checkpoint of the write-ahead log (15 pieces of a check's state:
        0.05 CPU s of a 0.75 s check of one changed note). It holds no lock between
        pieces (each statement is its own transaction), so another run goes on meanwhile."""
        try:
            if self._db is None:
                self._db = connect(self.path)
                self._db.execute("PRAGMA synchronous = NORMAL")  # a cache: losing rows is fine
            try:
                job(self._db)
            except sqlite3.Error as exc:
                self._close()
                raise failed(self.path, exc) from exc
        except CacheUnavailable:
            self._state = "dropped"
            self._close()
            return False
        return True

    def _close(self) -> None:
        if self._db is not None:
            close_quietly(self._db)
            self._db = None

    def _remove_mine(self) -> None:
        low, high = _range(f"{self.kind}#{self.generation}/")
        with contextlib.suppress(CacheUnavailable), session(self.path) as db:
            db.execute("DELETE FROM results WHERE kind >= ? AND kind < ?", (low, high))

    def abandon(self) -> None:
        """Store nothing of this chain (the command failed or stopped before its end)."""
        self._close()
        if self._state == "storing" and self._pieces:
            self._remove_mine()
        self._state = "dropped"

    def finish(self) -> None:
        """The chain is complete: make it the stored one for the key, in one transaction
        that removes every other generation of the kind; or, when it was too large,
        record that for the key."""
        if self._state == "dropped":
            return
        too_large = self._state == _TOO_LARGE
        pieces = () if too_large else tuple(self._pieces)
        head = Head(self.key, self.checked_ns, self.checked, self.generation, pieces, too_large)
        blob, crc = dumps(_head_value(head))
        mine = _range(f"{self.kind}#{self.generation}/")
        every = _range(f"{self.kind}#")

        def commit(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            found = db.execute(
                "SELECT count(*) FROM results WHERE kind >= ? AND kind < ?", mine
            ).fetchone()[0]
            if found != len(pieces):  # another run removed some: store nothing
                db.execute("DELETE FROM results WHERE kind >= ? AND kind < ?", mine)
            else:
                db.execute(
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)",
                    (self.kind, self.key, self.checked_ns, crc, blob),
                )
                db.execute(
                    "DELETE FROM results WHERE kind >= ? AND kind < ? "
                    "AND NOT (kind >= ? AND kind < ?)",
                    (*every, *mine),
                )
            db.execute("COMMIT")

        self._run(commit)
        self._close()
        self._state = "dropped"


@dataclass
class TextStore(ChainStore):
    """A text stored as it is made (`add` each part, then `finish`), in pieces of about
    `PIECE_BYTES` of UTF-8, compressed at zlib's default level: a text is stored once
    per change of the vault, by a command that took seconds to make it, and level 6
    stores a graph's JSON in 0.73 of level 1's bytes (2.8 MB for 10,000 generated
    notes, so that the cache file stays smaller than the notes) for 0.03 CPU s a MB."""

    LEVEL: ClassVar[int] = 6
    _pending: bytearray = field(default_factory=bytearray)

    def add(self, text: str) -> None:
        # a long piece is encoded a quarter of PIECE_BYTES characters at a time, so that
        # a stored piece is at most twice PIECE_BYTES (UTF-8 takes up to 4 bytes a character)
        step = max(PIECE_BYTES // 4, 1)
        start = 0
        while self.storing and start < len(text):
            self._pending += text[start : start + step].encode("utf-8", "surrogatepass")
            start += step
            if len(self._pending) >= PIECE_BYTES:
                self._flush()

    def _flush(self) -> None:
        self.add_piece(self._pending)
        self._pending.clear()

    def finish(self) -> None:
        if self.storing and self._pending:
            self._flush()
        super().finish()


def stored_as_made(pieces: Iterable[str], store: TextStore | None) -> Iterator[str]:
    """`pieces`, each also added to `store`; the store is finished once they are all
    made (a consumer that stops early leaves it to be abandoned)."""
    for piece in pieces:
        if store is not None:
            store.add(piece)
        yield piece
    if store is not None:
        store.finish()
