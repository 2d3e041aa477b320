"""What each page of the last build depended on, so that a rebuild renders only what changed.

A note's body is the costly part of a build (markdown-it, the renderers, nh3).
While it renders, `Deps` records everything it read besides the template:
the notes whose text or title went into it (the note, the notes it embeds,
at any depth) with their sha256, every link it resolved with the answer
(URL, file, anchor, problem), and every URL it asked the URL map about. A
later build reuses the body when all of those are still the same, which it
checks cheaply: when the vault's names (every path, alias and claimed URL)
are unchanged, only links to a note whose bytes changed can answer
differently, so only those are resolved again; otherwise every recorded
link is.

Every page (notes, listings, site pages) has a key: a digest of the build's
settings, the template, the output path and everything the page shows (for
a note, its body's digest in place of the body). A page whose key is the
one the last build recorded, and whose file is still there, is not rendered
again. Pages are plain functions of their keys, so a rebuilt site is byte
for byte the site a cold build writes.

The state is JSON in kbtool's cache folder (data, never code, so a planted
file cannot run anything), with what every rebuild looks at for every note;
the bulky rest (link keys, quoted lines, search words) is in rows of an SQLite
file beside it (`StateRows`), read only for the notes a rebuild renders or
indexes anew. A state that cannot be read, or a row it names that is gone,
means a full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson

from kbtool.base.gcpause import paused_gc
from kbtool.vault.cache import cache_folder

STATE = ".kbtool-site-state.json"  # where builds before 0.1 kept it: removed when found


def state_path(output: Path) -> Path:
    """Where the build state of the site in `output` is kept: in kbtool's cache folder,
    not in the site (it is tens of megabytes a large vault would publish)."""
    key = hashlib.sha256(os.fsencode(output.absolute())).hexdigest()[:20]
    return cache_folder() / f"kbtool-site-{key}.json"


def rows_path(output: Path) -> Path:
    """Where the bulky pieces of that state are kept (`StateRows`): beside it."""
    return state_path(output).with_suffix(".sqlite")


PRUNE_SLACK = 1000  # rows no state names, kept until there are more than this
reads = 0  # rows read from the store: a rebuild after one change reads few


class RowsLost(Exception):
    """A row the state names is not in its `StateRows` (removed, damaged): the build
    starts again from no state."""


class StateRows:
    """The bulky pieces of a build state (the links each body resolved, the lines each
    note's backlinks quote, each note's search words), one SQLite row each, so that a
    rebuild reads the few that the notes it renders or indexes anew need, and writes
    only the new ones, instead of tens of megabytes of JSON. A row's key is a digest of
    its bytes, so no state's row is ever changed; rows no state names are removed in
    bulk, now and then. The rows are JSON, never code."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pending: dict[str, bytes] = {}  # put, not yet saved
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}  # to a worker process and back: where, not a connection

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():  # a forked worker opens its own
            self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS piece (key TEXT PRIMARY KEY, data BLOB NOT NULL)"
            )
            self._pid = os.getpid()
        return self._db

    def get(self, key: str) -> Any:
        global reads
        data = self.pending.get(key)
        if data is None:
            reads += 1
            try:
                found = (
                    self._connection()
                    .execute("SELECT data FROM piece WHERE key = ?", (key,))
                    .fetchall()
                )  # all: the statement is done, no lock is left held
            except sqlite3.Error:
                found = []
            if not found or not isinstance(found[0][0], bytes):
                raise RowsLost(key)
            data = found[0][0]
        try:
            return _loads(data)
        except ValueError:
            raise RowsLost(key) from None

    def put(self, value: object) -> str:
        data = json_bytes(value)
        key = digest(data)
        self.pending[key] = data
        return key

    def save(self, named: set[str]) -> bool:
        """Write the rows put that `named` lists; False when they cannot be written (the
        state that names them must not be saved then)."""
        rows = [(key, data) for key, data in self.pending.items() if key in named]
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = self._connection()
                with db:
                    db.executemany("INSERT OR IGNORE INTO piece VALUES (?, ?)", rows)
                self.pending.clear()
                return True
            except sqlite3.DatabaseError:  # not a database: start a new one
                self.close()
                if attempt == 0:
                    with contextlib.suppress(OSError):
                        self.path.unlink()
            except (sqlite3.Error, OSError):
                break
        return False

    def prune(self, named: set[str]) -> None:
        """Remove the rows the saved state does not name, once there are more than
        `PRUNE_SLACK` of them (each build leaves a few)."""
        try:
            db = self._connection()
            (count,) = db.execute("SELECT count(*) FROM piece").fetchone()
            if count - len(named) <= PRUNE_SLACK:
                return
            with db:
                db.execute("CREATE TEMP TABLE named (key TEXT PRIMARY KEY)")
                db.executemany("INSERT INTO named VALUES (?)", [(k,) for k in named])
                db.execute("DELETE FROM piece WHERE key NOT IN (SELECT key FROM named)")
                db.execute("DROP TABLE named")
        except sqlite3.Error:
            return

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None


_VERSION = 6

#: A recorded link resolution: (source note, path, subpath) -> (url, file, anchor, problem).
LinkKey = tuple[str, str, str]
LinkAnswer = tuple[str | None, str | None, str, str]


def digest(*parts: object) -> str:
    """A short stable digest of `parts` (their reprs: dicts, tuples, dataclasses, strings)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, bytes):
            h.update(b"b" + part)
        elif isinstance(part, str):  # a page's body: no repr (a copy with escapes)
            h.update(b"s" + part.encode("utf-8", "surrogatepass"))
        else:
            h.update(b"r" + repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def json_bytes(data: object) -> bytes:
    """Compact JSON through orjson (ten times json's speed on a state of megabytes); with
    a string that is not UTF-8 (a lone surrogate from a file name), through json with
    every such character escaped (the bytes stay UTF-8: a page's script can read them)."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data, separators=(",", ":")).encode("ascii")


def _loads(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # what `json_bytes` wrote through json (or a damaged file)
        return json.loads(data.decode("utf-8", "surrogatepass"))


@dataclass
class Deps:
    """What one note's body read while it rendered (recorded by `SiteLinks` and
    `NoteRenderer`)."""

    notes: dict[str, str] = field(default_factory=dict)  # path -> sha256
    links: dict[LinkKey, LinkAnswer] = field(default_factory=dict)
    site_urls: dict[str, bool] = field(default_factory=dict)  # URL -> is a file of the site

    def inputs(self, owner: str) -> Inputs:
        """What a later build needs to check them: the links' answers as one digest."""
        targets = {a[1] for a in self.links.values() if a[1] is not None}
        answered = {a[0] for a in self.links.values()}  # the site's own URLs: implied
        site_urls = {u: found for u, found in self.site_urls.items() if u not in answered}
        return Inputs(
            dict(self.notes),
            [("" if k[0] == owner else k[0], k[1], k[2]) for k in self.links],
            digest(list(self.links.values())),
            targets,
            site_urls,
        )


class Inputs:
    """A body's inputs as kept between builds: what every rebuild looks at in the state,
    the rest (the links it resolved and their answers) in a row of `StateRows`."""

    notes: dict[str, str]  # the notes it shows -> sha256
    targets: set[str]  # the files they reached
    site_urls: dict[str, bool]
    _row: tuple[StateRows, str] | None = None  # where its keys and answers were read from

    def __init__(
        self,
        notes: dict[str, str],
        keys: list[LinkKey],
        answers: str,
        targets: set[str],
        site_urls: dict[str, bool],
    ) -> None:
        self.notes, self.targets, self.site_urls = notes, targets, site_urls
        self.keys, self.answers = keys, answers

    @cached_property
    def _stored(self) -> Any:
        assert self._row is not None
        rows, key = self._row
        return rows.get(key)

    @cached_property
    def keys(self) -> list[LinkKey]:
        """The links it resolved ("" for a link of the note itself): read from the state
        only when a note they reach changed."""
        return [(k[0], k[1], k[2]) for k in self._stored["keys"]]

    @cached_property
    def answers(self) -> str:
        """Digest of the links' answers, in order."""
        return str(self._stored["answers"])

    def to_json(self, number: dict[str, int], rows: StateRows) -> dict[str, Any]:
        return {
            "notes": self.notes,
            "row": _row_of(self._row, rows, lambda: {"keys": self.keys, "answers": self.answers}),
            "targets": sorted(number[t] for t in self.targets if t in number),
            "others": sorted(t for t in self.targets if t not in number),
            "site": self.site_urls,
        }

    @classmethod
    def from_json(cls, data: Any, paths: list[str], rows: StateRows) -> Inputs:
        inputs = cls.__new__(cls)
        inputs.notes, inputs.site_urls = data["notes"], data["site"]
        inputs.targets = set(map(paths.__getitem__, data["targets"]))
        inputs.targets.update(data["others"])
        inputs._row = (rows, _key(data["row"]))
        if not isinstance(inputs.notes, dict) or not isinstance(inputs.site_urls, dict):
            raise TypeError
        return inputs


def _key(value: object) -> str:
    """A row's key as the state names it."""
    if not isinstance(value, str):
        raise TypeError
    return value


def _row_of(read: tuple[StateRows, str] | None, rows: StateRows, value: Callable[[], Any]) -> str:
    """The key of a piece in `rows`: the row it was read from, when that is one of
    `rows` (the piece did not change since), else a new row holding `value()`."""
    if read is not None and read[0].path == rows.path:
        return read[1]
    return rows.put(value())


class Reach:
    """What one note's links reach: the notes (its page's outgoing links, their pages'
    backlinks, the graph's edges), the attachments (copied into the site), the notes it
    embeds, and the lines the notes it links to quote among their backlinks (in a row of
    `StateRows`). It depends only on the note and the vault's names (paths, aliases), so
    a rebuild resolves only the links of the notes that changed."""

    notes: frozenset[str]
    attachments: tuple[str, ...]
    embeds: frozenset[str]
    _row: tuple[StateRows, str] | None = None

    def __init__(
        self,
        notes: frozenset[str],
        attachments: tuple[str, ...],
        embeds: frozenset[str],
        quotes: dict[str, tuple[str, ...]],
    ) -> None:
        self.notes, self.attachments, self.embeds = notes, attachments, embeds
        self.quotes = quotes

    @cached_property
    def quotes(self) -> dict[str, tuple[str, ...]]:
        """Target note -> the lines of this note its backlinks quote (`pages.quotes`); read
        from the state only for the pages rendered."""
        assert self._row is not None
        rows, key = self._row
        return {str(t): tuple(q) for t, q in rows.get(key)}

    def to_json(self, number: dict[str, int], rows: StateRows) -> dict[str, Any]:
        def quoted() -> list[list[Any]]:
            return sorted([t, list(q)] for t, q in self.quotes.items() if t in number)

        return {
            "n": sorted(number[t] for t in self.notes),
            "a": list(self.attachments),
            "e": sorted(number[t] for t in self.embeds),
            "q": _row_of(self._row, rows, quoted),
        }

    @classmethod
    def from_json(cls, data: Any, paths: list[str], rows: StateRows) -> Reach:
        reach = cls.__new__(cls)
        reach.notes = frozenset(map(paths.__getitem__, data["n"]))
        reach.embeds = frozenset(map(paths.__getitem__, data["e"]))
        reach.attachments = tuple(map(str, data["a"]))
        reach._row = (rows, _key(data["q"]))
        return reach


class NoteState:
    """One note's body, as far as a rebuild needs it: its inputs, digest and search entry.

    One read from the state keeps its JSON: its search words are read (from a row of
    `StateRows`) only when it is indexed anew, and a note that did not change is written
    back as it was read."""

    inputs: Inputs
    body: str  # digest of the body's HTML
    index_key: str  # digest of what its search entry was made of
    doc: list[str]  # [url, title, folder, excerpt]
    reach: Reach  # what its links reach, kept while the vault's names stay the same
    facts: str  # digest of what the site-wide pages show of it: title, tags, review item

    def __init__(
        self,
        inputs: Inputs,
        body: str,
        index_key: str,
        doc: list[str],
        postings: dict[str, int],
        reach: Reach,
        facts: str,
    ) -> None:
        self.inputs, self.body, self.index_key, self.doc = inputs, body, index_key, doc
        # its words and their scores as two strings, as the row keeps them: a tenth of
        # the memory of the dict, which a cold build would otherwise hold for every note
        self._words: list[str] | None = [" ".join(postings), " ".join(map(str, postings.values()))]
        self.reach, self.facts = reach, facts
        self._raw: dict[str, Any] | None = None
        self._row: tuple[StateRows, str] | None = None
        self.numbering: list[str] | None = None  # the notes as numbered in `_raw`

    @property
    def links_to(self) -> frozenset[str]:
        """The notes it links to (their backlinks show it)."""
        return self.reach.notes

    @property
    def postings(self) -> dict[str, int]:
        """Word -> score."""
        words, scores = self._words if self._words is not None else self._stored_words
        return dict(zip(words.split(), map(int, scores.split()), strict=True))

    @cached_property
    def _stored_words(self) -> list[str]:
        assert self._row is not None
        rows, key = self._row
        words, scores = rows.get(key)
        return [str(words), str(scores)]

    def to_json(
        self, number: dict[str, int], rows: StateRows, paths: list[str] | None = None
    ) -> dict[str, Any]:
        """As JSON, the notes by their `number`; as read, when it was read with the notes
        numbered as `paths` (the same list object) and its rows are in `rows`."""
        if self._raw is not None and self.numbering is paths is not None:
            assert self._row is not None
            if self._row[0].path == rows.path:
                return self._raw

        def words() -> list[str]:
            return self._words if self._words is not None else self._stored_words

        return {
            "inputs": self.inputs.to_json(number, rows),
            "reach": self.reach.to_json(number, rows),
            "body": self.body,
            "index": self.index_key,
            "doc": self.doc,
            "words": _row_of(self._row, rows, words),
            "facts": self.facts,
        }

    @classmethod
    def from_json(cls, data: Any, paths: list[str], rows: StateRows) -> NoteState:
        state = cls.__new__(cls)
        state.doc, state.body, state.index_key = data["doc"], data["body"], data["index"]
        state.facts = data["facts"]
        if not isinstance(state.doc, list) or not isinstance(state.facts, str):
            raise TypeError
        state.inputs = Inputs.from_json(data["inputs"], paths, rows)
        state.reach = Reach.from_json(data["reach"], paths, rows)
        state._row, state._words = (rows, _key(data["words"])), None
        state._raw, state.numbering = data, paths
        return state

    @staticmethod
    def rows_named(data: dict[str, Any]) -> list[str]:
        """The keys of the rows a note's JSON names."""
        return [data["inputs"]["row"], data["reach"]["q"], data["words"]]


@dataclass
class BuildState:
    """Everything a build leaves for the next one."""

    key: str = ""  # the build's settings: another key means a full build
    universe: str = ""  # the vault's names and the site's claimed URLs
    names: str = ""  # the vault's names alone (paths, attachments, aliases): what links reach
    shas: dict[str, str] = field(default_factory=dict)  # every note's sha256
    notes: dict[str, NoteState] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # page -> key
    files: dict[str, str] = field(default_factory=dict)  # output file -> digest of its bytes
    shards: list[str] = field(default_factory=list)  # the search index's word shards
    listings_key: str = ""  # what the tag and folder pages show: the notes' titles and tags
    listings: list[tuple[str, str, bool]] = field(default_factory=list)  # path, key, claimed
    reviews: list[str] = field(default_factory=list)  # the review pages (review.html first)
    build: str = ""  # the build that wrote the folder (its marker names it too)
    rows: StateRows | None = field(default=None, compare=False)  # where it was read from

    def to_bytes(self, rows: StateRows) -> tuple[bytes, set[str]]:
        """The state as JSON, its bulky pieces put in `rows` (not yet saved), and the keys
        of every row it names."""
        with paused_gc():  # many small objects, no cycles: collecting would only rescan
            document = self._to_json(rows)
            named = {key for s in document["notes"].values() for key in NoteState.rows_named(s)}
            return json_bytes(document), named

    def _to_json(self, rows: StateRows) -> dict[str, Any]:
        number = {path: i for i, path in enumerate(self.shas)}  # notes by number, to save room
        paths = list(self.shas)
        numberings = {id(s.numbering): s.numbering for s in self.notes.values() if s.numbering}
        same = next((p for p in numberings.values() if p == paths), None)  # notes as read
        return {
            "kbtool-site-state": _VERSION,
            "key": self.key,
            "universe": self.universe,
            "names": self.names,
            "shas": self.shas,
            "notes": {p: s.to_json(number, rows, same) for p, s in self.notes.items()},
            "pages": self.pages,
            "files": self.files,
            "shards": self.shards,
            "listings_key": self.listings_key,
            "listings": self.listings,
            "reviews": self.reviews,
            "build": self.build,
        }

    @classmethod
    def load(cls, folder: Path, build: str) -> BuildState:
        """The state the last build of `folder` left, when that build (its marker says which)
        is the one whose files are there; an empty one when there is none, it cannot be
        read, or it belongs to another build (a full build follows)."""
        rows = StateRows(rows_path(folder))
        try:
            with paused_gc():  # many small objects, no cycles: collecting would only rescan
                state = cls._from_json(_loads(state_path(folder).read_bytes()), rows)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return cls()
        if not build or state.build != build:
            return cls()
        state.rows = rows
        return state

    @classmethod
    def _from_json(cls, data: Any, rows: StateRows) -> BuildState:
        if data.get("kbtool-site-state") != _VERSION:
            return cls()
        paths = list(data["shas"])
        notes = {p: NoteState.from_json(s, paths, rows) for p, s in data["notes"].items()}
        state = cls(data["key"], data["universe"], str(data["names"]), data["shas"], notes)
        state.pages, state.files, state.shards = data["pages"], data["files"], data["shards"]
        state.listings_key = str(data["listings_key"])
        state.listings = [(str(r), str(k), bool(c)) for r, k, c in data["listings"]]
        state.build = str(data.get("build", ""))
        state.reviews = [str(rel) for rel in data["reviews"]]
        if not isinstance(state.shards, list):
            return cls()
        if not all(isinstance(v, dict) for v in (state.shas, state.pages, state.files)):
            return cls()
        return state
