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

The state is JSON beside the manifest in the output folder (data, never
code, so a planted file cannot run anything); one that cannot be read means
a full build.
"""

from __future__ import annotations

import hashlib
import json
import os
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


_VERSION = 5

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


def _dumps(data: object) -> bytes:
    """JSON through orjson (ten times json's speed on a state of megabytes); a string that
    is not UTF-8 (a lone surrogate from a file name) goes through json instead."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8", "surrogatepass")


def _pack(value: object) -> str:
    """Part of a state as a JSON string inside the state: one string to read, unpacked
    only when the build needs that part (few notes' link keys and quotes are read)."""
    return _dumps(value).decode("utf-8", "surrogatepass")


def _unpack(text: str) -> Any:
    return _loads(text.encode("utf-8", "surrogatepass"))


def _loads(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # what `_dumps` wrote through json (or a damaged file)
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
    """A body's inputs as kept between builds."""

    notes: dict[str, str]  # the notes it shows -> sha256
    answers: str  # digest of their answers, in order
    targets: set[str]  # the files they reached
    site_urls: dict[str, bool]
    _raw_keys: str

    def __init__(
        self,
        notes: dict[str, str],
        keys: list[LinkKey],
        answers: str,
        targets: set[str],
        site_urls: dict[str, bool],
    ) -> None:
        self.notes, self.answers, self.targets, self.site_urls = notes, answers, targets, site_urls
        self.keys = keys

    @cached_property
    def keys(self) -> list[LinkKey]:
        """The links it resolved ("" for a link of the note itself): read from the state
        only when a note they reach changed."""
        return [(k[0], k[1], k[2]) for k in _unpack(self._raw_keys)]

    def to_json(self, number: dict[str, int]) -> dict[str, Any]:
        return {
            "notes": self.notes,
            "keys": _pack(self.keys),
            "answers": self.answers,
            "targets": sorted(number[t] for t in self.targets if t in number),
            "others": sorted(t for t in self.targets if t not in number),
            "site": self.site_urls,
        }

    @classmethod
    def from_json(cls, data: Any, paths: list[str]) -> Inputs:
        inputs = cls.__new__(cls)
        inputs.notes, inputs.answers, inputs.site_urls = (
            data["notes"],
            data["answers"],
            data["site"],
        )
        inputs.targets = {paths[i] for i in data["targets"]} | set(data["others"])
        inputs._raw_keys = data["keys"]
        if not isinstance(inputs.notes, dict) or not isinstance(inputs.site_urls, dict):
            raise TypeError
        if not isinstance(inputs._raw_keys, str):
            raise TypeError
        return inputs


class Reach:
    """What one note's links reach: the notes (its page's outgoing links, their pages'
    backlinks, the graph's edges), the attachments (copied into the site), the notes it
    embeds, and the lines the notes it links to quote among their backlinks. It depends
    only on the note and the vault's names (paths, aliases), so a rebuild resolves only
    the links of the notes that changed."""

    notes: frozenset[str]
    attachments: tuple[str, ...]
    embeds: frozenset[str]
    _raw_quotes: str
    _paths: list[str]

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
        return {self._paths[i]: tuple(q) for i, q in _unpack(self._raw_quotes)}

    def to_json(self, number: dict[str, int]) -> dict[str, Any]:
        return {
            "n": sorted(number[t] for t in self.notes),
            "a": list(self.attachments),
            "e": sorted(number[t] for t in self.embeds),
            "q": _pack(sorted([number[t], list(q)] for t, q in self.quotes.items() if t in number)),
        }

    @classmethod
    def from_json(cls, data: Any, paths: list[str]) -> Reach:
        reach = cls.__new__(cls)
        reach.notes = frozenset(paths[i] for i in data["n"])
        reach.embeds = frozenset(paths[i] for i in data["e"])
        reach.attachments = tuple(str(a) for a in data["a"])
        reach._raw_quotes, reach._paths = data["q"], paths
        if not isinstance(reach._raw_quotes, str):
            raise TypeError
        return reach


class NoteState:
    """One note's body, as far as a rebuild needs it: its inputs, digest and search entry.

    One read from the state keeps its JSON: its search words are split only when it is
    indexed anew, and a note that did not change is written back as it was read."""

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
        self.postings = postings  # word -> score
        self.reach, self.facts = reach, facts
        self._raw: dict[str, Any] | None = None
        self.numbering: list[str] | None = None  # the notes as numbered in `_raw`

    @property
    def links_to(self) -> frozenset[str]:
        """The notes it links to (their backlinks show it)."""
        return self.reach.notes

    @cached_property
    def postings(self) -> dict[str, int]:
        assert self._raw is not None
        scores = [int(n) for n in self._raw["scores"].split()]
        return dict(zip(self._raw["words"].split(), scores, strict=True))

    def to_json(self, number: dict[str, int], paths: list[str] | None = None) -> dict[str, Any]:
        """As JSON, the notes by their `number`; as read, when it was read with the notes
        numbered as `paths` (the same list object)."""
        if self._raw is not None and paths is not None and self.numbering is paths:
            return self._raw
        return {
            "inputs": self.inputs.to_json(number),
            "reach": self.reach.to_json(number),
            "body": self.body,
            "index": self.index_key,
            "doc": self.doc,
            "words": " ".join(self.postings),
            "scores": " ".join(map(str, self.postings.values())),
            "facts": self.facts,
        }

    @classmethod
    def from_json(cls, data: Any, paths: list[str]) -> NoteState:
        state = cls.__new__(cls)
        state.doc, state.body, state.index_key = data["doc"], data["body"], data["index"]
        state.facts = data["facts"]
        if not isinstance(state.doc, list) or not isinstance(data["words"], str):
            raise TypeError
        if not isinstance(data["scores"], str) or not isinstance(state.facts, str):
            raise TypeError
        state.inputs = Inputs.from_json(data["inputs"], paths)
        state.reach = Reach.from_json(data["reach"], paths)
        state._raw, state.numbering = data, paths
        return state


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

    def to_bytes(self) -> bytes:
        with paused_gc():  # many small objects, no cycles: collecting would only rescan
            return _dumps(self._to_json())

    def _to_json(self) -> dict[str, Any]:
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
            "notes": {p: s.to_json(number, same) for p, s in self.notes.items()},
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
        try:
            with paused_gc():  # many small objects, no cycles: collecting would only rescan
                state = cls._from_json(_loads(state_path(folder).read_bytes()))
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return cls()
        return state if build and state.build == build else cls()

    @classmethod
    def _from_json(cls, data: Any) -> BuildState:
        if data.get("kbtool-site-state") != _VERSION:
            return cls()
        paths = list(data["shas"])
        notes = {p: NoteState.from_json(s, paths) for p, s in data["notes"].items()}
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
