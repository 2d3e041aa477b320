"""Load a vault: find every note and attachment, parse each note once.

The `Vault` is what every consumer reads (check, graph, index, review, site);
none of them reads files again. Resolution and the graph are built lazily
from the parsed notes, so a command that needs neither does not pay for them.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kbtool.base.cores import begin_sample
from kbtool.vault.listing import NoteEntry, NoteListing
from kbtool.base.fileread import NotReadable, file_kind, resolve_link
from kbtool.base.gcpause import paused_gc
from kbtool.config import CONFIG_NAME, Config, load_config
from kbtool.errors import KbtoolError
from kbtool.model import Note
from kbtool.vault.cache import FileStamp, ParseCache
from kbtool.vault.pool import (
    Done,
    ParallelSettingError,
    Task,
    in_two_processes,
    read_file,
    setting,
    worth_a_worker,
)
from kbtool.vault.text import note_lines

if TYPE_CHECKING:
    import networkx as nx

    from kbtool.vault.resolve import Resolver


class VaultError(KbtoolError):
    """The vault cannot be loaded at all (missing, not a folder, cannot be opened)."""


class Unreadable(NamedTuple):
    """An entry of the vault that is not read, and why (reported as KB001)."""

    path: str  # vault-relative
    reason: str


@dataclass
class Vault:
    """A loaded vault: its notes parsed, its attachments and configuration."""

    root: Path
    config: Config
    notes: Mapping[str, Note]  # by vault-relative path, sorted (see `kbtool.vault.lazy`)
    attachments: list[str] = field(default_factory=list)
    skipped_links: list[str] = field(default_factory=list)  # symlinks not followed
    unreadable: list[Unreadable] = field(default_factory=list)  # skipped entries (KB001)
    cache_hits: int = 0  # notes taken from the parse cache
    cache_misses: int = 0  # notes parsed (with the cache on)
    cache_hashed: int = 0  # notes read and hashed to see whether they changed

    @cached_property
    def resolver(self) -> Resolver:
        """Built on first use from the notes, the attachments and the link settings."""
        from kbtool.vault.resolve import Resolver  # not needed by a check whose result is reused

        settings = self.config
        return Resolver.build(
            self.notes, self.attachments, settings.settings.links, settings.new_link_format
        )

    @cached_property
    def graph(self) -> nx.MultiDiGraph[str]:
        from kbtool.vault.linkgraph import build_graph  # networkx: only for those who ask

        return build_graph(self.notes, self.resolver)

    def note(self, path: str) -> Note | None:
        return self.notes.get(path)

    def lines(self, path: str) -> list[str]:
        """The note's file lines, read now and verified against what was parsed.

        `NoteChanged` when the file changed since loading, `OSError` when it
        cannot be read; see `kbtool.vault.text`.
        """
        return note_lines(self.root, self.notes[path])


@dataclass
class WorkCounts:
    """Notes read and hashed, and notes parsed, since the last `reset` (for tests that
    count work instead of timing it)."""

    hashed: int = 0
    parsed: int = 0

    def reset(self) -> None:
        self.hashed = self.parsed = 0


counts = WorkCounts()


def _excluded(rel: str, patterns: list[str]) -> bool:
    """A pattern is a folder or file path (and everything under it) or an fnmatch glob."""
    for pattern in patterns:
        p = pattern.strip("/")
        if rel == p or rel.startswith(p + "/") or fnmatch.fnmatchcase(rel, p):
            return True
    return False


def iter_vault_files(
    root: Path, exclude: list[str], skipped: list[str], unreadable: list[Unreadable] | None = None
) -> Iterator[tuple[str, str | Path]]:
    """Every visible regular file under `root` as (vault-relative NFC path, path to read).

    Hidden entries (`.obsidian`, `.git`, `.kbtool`, ...) and excluded paths are
    skipped. Symlinks are followed only when they stay inside the vault (the path
    to read is then the real file), and a folder is never entered twice, so a link
    loop ends. Everything else is skipped, and listed in `unreadable` with why: a
    FIFO (reading it would wait forever), a device, a socket, a link to nowhere,
    to itself or out of the vault, a folder that cannot be opened.
    """
    real_root = root.resolve()
    seen_dirs = {real_root}
    stack: list[tuple[Path, str]] = [(root, "")]
    refused = unreadable if unreadable is not None else []
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            if prefix:  # the root's own errors are the caller's (VaultError)
                why = f"cannot open the folder ({exc.strerror}); its notes are not checked"
                refused.append(Unreadable(prefix.rstrip("/"), why))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = unicodedata.normalize("NFC", prefix + entry.name)
            if _excluded(rel, exclude):
                continue
            path: str | Path = entry.path  # a Path only when needed: listing is a hot path
            try:
                mode = _entry_mode(entry)
                if stat.S_ISLNK(mode):
                    path = resolve_link(Path(entry.path), real_root)
                    mode = path.stat().st_mode
            except NotReadable as exc:
                skipped.append(rel)
                refused.append(Unreadable(rel, f"{exc.reason}; skipped"))
                continue
            except OSError as exc:  # vanished since the listing, or no permission
                refused.append(Unreadable(rel, f"cannot read ({exc.strerror}); skipped"))
                continue
            if stat.S_ISDIR(mode):
                real = Path(path).resolve()
                if real in seen_dirs:
                    skipped.append(rel)
                    continue
                seen_dirs.add(real)
                stack.append((Path(entry.path), rel + "/"))
            elif stat.S_ISREG(mode):
                yield rel, path
            else:
                kind = file_kind(mode)
                refused.append(Unreadable(rel, f"{kind}, not a regular file; skipped"))


def _entry_mode(entry: os.DirEntry[str]) -> int:
    """The file type bits of a listed entry, without a system call for the usual kinds."""
    if entry.is_symlink():
        return stat.S_IFLNK
    if entry.is_dir(follow_symlinks=False):
        return stat.S_IFDIR
    if entry.is_file(follow_symlinks=False):
        return stat.S_IFREG
    return entry.stat(follow_symlinks=False).st_mode


def read_note(
    rel: str,
    path: str | os.PathLike[str],
    cache: ParseCache | None = None,
    status: FileStamp | None = None,
) -> Note:
    """Read and parse one note, or take it from the cache: unread when its file's stamp
    (`status`, from the listing) is the recorded one and not racily clean, else when
    its bytes hash the same.

    The file is read only if it is a regular file, up to `MAX_NOTE_BYTES`
    (see `kbtool.base.fileread`); an I/O error, another kind of file or a note over the
    cap becomes a KB001 problem on the note.
    """
    if cache is not None and status is not None:
        note = cache.trusted(rel, FileStamp.of(status))
        if note is not None:
            return note
    return _read_untrusted(rel, path, cache)


def _read_untrusted(rel: str, path: str | os.PathLike[str], cache: ParseCache | None) -> Note:
    """`read_note` for a file whose stamp did not vouch for it: read, hash, parse."""
    read = read_file(rel, path)
    if isinstance(read, Note):
        return read
    data, status = read
    mtime = status.st_mtime_ns
    if cache is None:
        return _parse(rel, data, mtime)
    counts.hashed += 1
    stamp = FileStamp.of(status)
    note = cache.get(rel, hashlib.sha256(data).hexdigest(), stamp)
    if note is None:
        note = _parse(rel, data, mtime)
        cache.put(note, stamp)
    return note


def _reparse(rel: str, path: str | os.PathLike[str], store: ParseCache) -> Note:
    """Read and parse a note again, into the cache (its stored note proved unusable)."""
    read = read_file(rel, path)
    if isinstance(read, Note):
        return read
    data, status = read
    note = _parse(rel, data, status.st_mtime_ns)
    store.put(note, FileStamp.of(status))
    return note


def _parse(rel: str, data: bytes, mtime_ns: int) -> Note:
    """Parse one note, imported on first use: a warm check that reuses its findings never
    pays for the parser's imports (YAML, the scanner's grammar)."""
    from kbtool.notes.parse import parse_note

    counts.parsed += 1
    return parse_note(rel, data, mtime_ns)


def _vault_root(root: str | os.PathLike[str]) -> Path:
    """`root` as an absolute path, or `VaultError` when it is no folder that can be read."""
    root_path = Path(root)
    try:
        status = root_path.stat()
    except FileNotFoundError:
        raise VaultError(f"{root_path}: no such vault (folder does not exist)") from None
    except OSError as exc:
        raise VaultError(f"{root_path}: cannot open the vault ({exc.strerror})") from None
    if not stat.S_ISDIR(status.st_mode):
        raise VaultError(f"{root_path}: not a folder")
    try:
        os.scandir(root_path).close()
    except OSError as exc:
        raise VaultError(f"{root_path}: cannot open the vault ({exc.strerror})") from None
    return root_path.absolute()


@dataclass
class VaultFiles:
    """What a listing of the vault found, before any note is read: each note file with
    its stamp (None when not taken or it failed), the attachments and what was
    skipped. `started_ns` is when the listing began (the racily-clean rule)."""

    root: Path
    config: Config
    notes: Sequence[NoteEntry]
    attachments: list[str]
    skipped: list[str]
    unreadable: list[Unreadable]
    started_ns: int

    @property
    def note_paths(self) -> list[str]:
        return [rel for rel, _path, _status in self.notes]


def scan_vault(
    root: str | os.PathLike[str], *, config: Config | None = None, stat_notes: bool = True
) -> VaultFiles:
    """List the vault's notes and attachments (and stat each note, with `stat_notes`)
    without reading a note; raise `VaultError` or `ConfigError`."""
    started = time.time_ns()
    begin_sample()  # a cold load may ask whether a core is idle: the listing's time is the window
    try:
        setting()  # a bad KBTOOL_PARALLEL is said before anything is read
    except ParallelSettingError as exc:
        raise VaultError(str(exc)) from None
    root_path = _vault_root(root)
    config = config or load_config(root_path)
    skipped: list[str] = []
    unreadable: list[Unreadable] = []
    note_files: list[tuple[str, str | Path]] = []
    attachments: list[str] = []
    templates = (config.templates_folder or "\0") + "/"  # its notes are templates, not notes
    for rel, path in iter_vault_files(root_path, config.settings.exclude, skipped, unreadable):
        if rel.lower().endswith(".md"):
            if not rel.startswith(templates):
                note_files.append((rel, path))
        elif rel != CONFIG_NAME:
            attachments.append(rel)
    note_files.sort(key=lambda item: item[0])
    notes = NoteListing(
        root_path, ((rel, path, _status(path) if stat_notes else None) for rel, path in note_files)
    )
    return VaultFiles(
        root_path, config, notes, sorted(attachments), skipped, sorted(unreadable), started
    )


def _status(path: str | Path) -> FileStamp | None:
    try:
        return FileStamp.of(os.stat(path))
    except OSError:  # read_note says why
        return None


def load_files(
    files: VaultFiles,
    *,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
    meanwhile: Callable[[Sequence[Note]], None] | None = None,
) -> Vault:
    """Read and parse the notes of a listing (`scan_vault`); with `cache`, through the
    parse cache (`kbtool.vault.cache`). A large cold load reads and parses in two
    processes (`kbtool.vault.pool`); the vault is the one a single process loads.
    `meanwhile(notes so far)` runs near the end of a load in two processes, while this
    one would wait for the other (see `kbtool.vault.pool.in_two_processes`)."""
    total = len(files.notes)
    store = ParseCache(files.root, files.started_ns) if cache else None
    found: list[Note | None] = [None] * total
    done = 0

    def advanced(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    with paused_gc():
        untrusted = []  # what the cache cannot vouch for unread: these files are read
        for index, (rel, _path, status) in enumerate(files.notes):
            note = None
            if store is not None and status is not None:
                note = store.trusted(rel, FileStamp.of(status))
            if note is None:
                untrusted.append(index)
            else:
                found[index] = note
                advanced(1)
        if worth_a_worker(len(untrusted)):
            for index, note in zip(
                untrusted,
                _in_two_processes(files, untrusted, store, advanced, meanwhile),
                strict=True,
            ):
                found[index] = note
        else:
            for index in untrusted:
                rel, path, _status = files.notes[index]
                found[index] = _read_untrusted(rel, path, store)
                advanced(1)
        if store is not None:
            store.save()
    notes: dict[str, Note] = {}
    for (rel, _path, _status), note in zip(files.notes, found, strict=True):
        assert note is not None
        notes[rel] = note
    vault = Vault(
        files.root, files.config, notes, files.attachments, files.skipped, files.unreadable
    )
    if store is not None:
        vault.cache_hits, vault.cache_misses = store.hits, store.misses
        vault.cache_hashed = store.hashed
    return vault


def _in_two_processes(
    files: VaultFiles,
    untrusted: list[int],
    store: ParseCache | None,
    advanced: Callable[[int], None],
    meanwhile: Callable[[Sequence[Note]], None] | None,
) -> list[Note]:
    """The notes `untrusted` (indexes into `files.notes`) read as `_read_untrusted` reads
    them, part of them by a worker process (`kbtool.vault.pool`): what it sends back goes
    through the cache here as the note read here would."""
    listed = [files.notes[index] for index in untrusted]
    tasks = [
        Task(rel, os.fspath(path), store is not None, store.recorded_sha(rel) if store else "")
        for rel, path, _status in listed
    ]

    def local(index: int) -> Note:
        rel, path, _status = listed[index]
        return _read_untrusted(rel, path, store)

    def adopt(index: int, done: Done) -> Note:
        rel, path, _status = listed[index]
        counts.parsed += done.parsed
        if store is None or done.stamp is None:  # no cache, or the file could not be read
            assert done.note is not None
            return done.note
        counts.hashed += 1
        stamp = FileStamp(*done.stamp)
        note = store.get(rel, done.sha256, stamp)
        if note is not None:
            return note
        if done.note is None:  # the same bytes, yet the stored note is unusable: parse here
            return _reparse(rel, path, store)
        store.put(done.note, stamp)
        return done.note

    return in_two_processes(tasks, local, adopt, advanced, meanwhile)


def load_vault(
    root: str | os.PathLike[str],
    *,
    config: Config | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
) -> Vault:
    """Load and parse every note under `root`; raise `VaultError` or `ConfigError`.

    With `cache`, a note whose file is unchanged since an earlier run (same size,
    modification time and inode, and not racily clean; else the same bytes) comes
    from the parse cache (`kbtool.vault.cache`) instead of being parsed again.
    """
    files = scan_vault(root, config=config, stat_notes=cache)
    return load_files(files, progress=progress, cache=cache)
