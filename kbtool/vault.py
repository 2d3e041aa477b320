"""Load a vault: find every note and attachment, parse each note once.

The `Vault` is what every consumer reads (check, graph, index, review, site);
none of them reads files again. Resolution and the graph are built lazily
from the parsed notes, so a command that needs neither does not pay for them.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from kbtool import codes
from kbtool.cache import ParseCache
from kbtool.config import CONFIG_NAME, Config, load_config
from kbtool.gcpause import paused_gc
from kbtool.model import Frontmatter, Note, Problem, Span
from kbtool.parse import parse_note

if TYPE_CHECKING:
    import networkx as nx

    from kbtool.resolve import Resolver


class VaultError(Exception):
    """The vault cannot be loaded at all (missing, not a folder)."""


@dataclass
class Vault:
    root: Path
    config: Config
    notes: dict[str, Note]  # by vault-relative path, sorted
    attachments: list[str] = field(default_factory=list)
    skipped_links: list[str] = field(default_factory=list)  # symlinks not followed
    cache_hits: int = 0  # notes taken from the parse cache
    cache_misses: int = 0  # notes parsed (with the cache on)

    @cached_property
    def resolver(self) -> Resolver:
        from kbtool.resolve import Resolver

        return Resolver.for_vault(self)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        from kbtool.graph import build_graph

        return build_graph(self)

    def note(self, path: str) -> Note | None:
        return self.notes.get(path)


def _excluded(rel: str, patterns: list[str]) -> bool:
    """A pattern is a folder or file path (and everything under it) or an fnmatch glob."""
    for pattern in patterns:
        p = pattern.strip("/")
        if rel == p or rel.startswith(p + "/") or fnmatch.fnmatchcase(rel, p):
            return True
    return False


def iter_vault_files(
    root: Path, exclude: list[str], skipped: list[str]
) -> Iterator[tuple[str, Path]]:
    """Every visible file under `root` as (vault-relative NFC path, absolute path).

    Hidden entries (`.obsidian`, `.git`, `.kbtool`, ...) and excluded paths are
    skipped. Symlinks are followed only when they stay inside the vault, and a
    folder is never entered twice, so a link loop ends.
    """
    real_root = root.resolve()
    seen_dirs = {real_root}
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = unicodedata.normalize("NFC", prefix + entry.name)
            if _excluded(rel, exclude):
                continue
            if entry.is_symlink():
                target = Path(entry.path).resolve()
                if not target.is_relative_to(real_root) or not target.exists():
                    skipped.append(rel)
                    continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                real = Path(entry.path).resolve()
                if real in seen_dirs:
                    skipped.append(rel)
                    continue
                seen_dirs.add(real)
                stack.append((Path(entry.path), rel + "/"))
            else:
                yield rel, Path(entry.path)


def read_note(rel: str, path: Path, cache: ParseCache | None = None) -> Note:
    """Read and parse one note (or take it from the cache when its bytes are unchanged);
    an I/O error becomes a KB001 problem on the note."""
    try:
        data = path.read_bytes()
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        problem = Problem(
            codes.UNREADABLE_FILE, f"cannot read file: {exc.strerror}", Span(1, 1, 1, 1)
        )
        return Note(rel, 0, None, "", Frontmatter(), 1, problems=(problem,))
    if cache is None:
        return parse_note(rel, data, mtime)
    note = cache.get(rel, hashlib.sha256(data).hexdigest(), mtime)
    if note is None:
        note = parse_note(rel, data, mtime)
        cache.put(note)
    return note


def load_vault(
    root: str | os.PathLike[str],
    *,
    config: Config | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
) -> Vault:
    """Load and parse every note under `root`; raise `VaultError` or `ConfigError`.

    With `cache`, notes whose bytes are unchanged since an earlier run come from
    the parse cache (`kbtool.cache`) instead of being parsed again.
    """
    root_path = Path(root)
    if not root_path.exists():
        raise VaultError(f"{root_path}: no such vault (folder does not exist)")
    if not root_path.is_dir():
        raise VaultError(f"{root_path}: not a folder")
    root_path = root_path.absolute()
    config = config or load_config(root_path)
    skipped: list[str] = []
    note_files: list[tuple[str, Path]] = []
    attachments: list[str] = []
    templates = (config.templates_folder or "\0") + "/"  # its notes are templates, not notes
    for rel, path in iter_vault_files(root_path, config.settings.exclude, skipped):
        if rel.lower().endswith(".md"):
            if not rel.startswith(templates):
                note_files.append((rel, path))
        elif rel != CONFIG_NAME:
            attachments.append(rel)
    note_files.sort()
    notes: dict[str, Note] = {}
    total = len(note_files)
    store = ParseCache(root_path) if cache else None
    with paused_gc():
        for index, (rel, path) in enumerate(note_files, 1):
            notes[rel] = read_note(rel, path, store)
            if progress is not None:
                progress(index, total)
        if store is not None:
            store.save()
    vault = Vault(root_path, config, notes, sorted(attachments), skipped)
    if store is not None:
        vault.cache_hits, vault.cache_misses = store.hits, store.misses
    return vault
