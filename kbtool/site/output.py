"""The output folder: refuse a dangerous one, write atomically, remove only what we wrote.

`build` writes only inside its output folder, and only into a folder that is
safe to fill: not the vault, not inside it (Obsidian and kbtool would read
the pages as vault files), not holding it (a later clean-up could reach the
notes), and either empty or written by an earlier build. An earlier build
left a marker file with the list of every file it wrote (the manifest); a
file that the manifest does not list, or any symlink, means somebody else's
data is there, and the build refuses to touch the folder. After a build,
files that the old manifest lists and the new build did not write are
removed; nothing else ever is.

A build also leaves its state (what every page depended on and a digest of
every file written) in kbtool's cache folder (`incremental.state_path`), not in
the site, which would publish it; the marker and the state name the same build,
so a folder filled by another build (or another machine) is never trusted. A
file whose bytes are those the last build wrote there is not written again; a
failed build removes the state, so the next one starts afresh.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from kbtool.site.incremental import (
    STATE,
    BuildState,
    RowsLost,
    StateRows,
    digest,
    rows_path,
    state_path,
)

MARKER = ".kbtool-site.json"
_OWN = frozenset({MARKER, STATE})
_TMP_PREFIX = ".kbtool-tmp-"


class OutputError(Exception):
    """The output folder cannot be used; nothing was written."""


class SiteOutput:
    """A checked output folder and the files written to it in this build."""

    def __init__(self, folder: Path, vault_root: Path, state: BuildState | None = None) -> None:
        """`state`: the last build's, when the caller kept it (else it is read from the
        folder)."""
        self.folder = folder.absolute()
        self.listing = _check_folder(self.folder, vault_root)
        self.previous, self.build = self.listing.manifest, self.listing.build
        self.written: set[str] = set()
        if not self.previous:
            state = BuildState()
        elif state is not None and state.build != self.build:
            state = None  # kept in memory for another build of this folder: not this one
        self.state = state if state is not None else BuildState.load(self.folder, self.build)
        self.digests: dict[str, str] = {}  # this build's files -> digest of their bytes
        self._folders: set[Path] = set()  # made (or found) in this build

    def write(self, rel: str, data: bytes) -> bool:
        """Write `rel` (a `/` path inside the folder) atomically: a temporary file, a rename.
        False when the file already holds these bytes (the last build wrote them)."""
        return self._write(rel, digest(data), lambda handle: handle.write(data))

    def write_text(self, rel: str, text: str) -> None:
        self.write(rel, text.encode("utf-8"))

    def copy(self, rel: str, source: Path) -> bool:
        """Copy a vault file (an attachment that a note links or embeds) atomically; not
        again while its size and modification time are those of the last copy."""

        def fill(handle: BinaryIO) -> None:
            with open(source, "rb") as src:
                shutil.copyfileobj(src, handle)

        status = source.stat()
        return self._write(rel, f"stat:{status.st_size}:{status.st_mtime_ns}", fill)

    def can_keep(self, rel: str) -> bool:
        """True when the last build wrote `rel` and it is still there."""
        return rel in self.state.files and rel in self.listing.files

    def keep(self, rel: str) -> None:
        """Keep the file the last build wrote at `rel` as part of this build."""
        self.digests[rel] = self.state.files[rel]
        self.written.add(rel)

    def _write(self, rel: str, key: str, fill: Callable[[BinaryIO], object]) -> bool:
        if self.state.files.get(rel) == key and rel in self.listing.files:
            self.keep(rel)
            return False
        self._replace(rel, fill)
        self.digests[rel] = key
        return True

    def _replace(self, rel: str, fill: Callable[[BinaryIO], object]) -> None:
        target = self._target(rel)
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                fill(handle)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self.written.add(rel)

    def finish(self, state: BuildState, *, save_state: bool = True) -> None:
        """Remove what the last build wrote and this one did not; record the new manifest
        and the state of this build (with the digest of every file), in the folder unless
        the caller keeps it."""
        removed = sorted(self.previous - self.written)
        for rel in removed:
            with contextlib.suppress(FileNotFoundError):
                (self.folder / rel).unlink()
        state.files = dict(sorted(self.digests.items()))
        # the id of what this build wrote: the same files give the same id (a site builds
        # reproducibly), other files another, so the state is trusted only with its files
        state.build = self.build = digest(*sorted(state.files.items()))[:16]
        with contextlib.suppress(FileNotFoundError):
            (self.folder / STATE).unlink()  # where older builds kept it
        _forget_state(self.folder)
        self._save(self.written)
        if save_state:
            rows = self.state.rows or StateRows(rows_path(self.folder))
            _save_state(self.folder, state, rows)
        _remove_empty_folders(self.folder, self.listing.empty, removed)

    def start_afresh(self) -> None:
        """Forget the last build's state (a piece of it is gone): what follows is a full
        build, which writes every file again (those written so far stay listed)."""
        self.state = BuildState()
        self.digests = {}

    def abandon(self) -> None:
        """After a failed build: keep listing every file written, so the next build may
        replace them (nothing is deleted), and forget the state: the next build is full."""
        _forget_state(self.folder)
        self.build = ""
        self._save(self.previous | self.written)

    def _save(self, files: set[str]) -> None:
        document = {"kbtool-site": 1, "build": self.build, "files": sorted(files)}
        data = json.dumps(document, indent=0).encode()
        self._save_file(MARKER, data)

    def _save_file(self, name: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=self.folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, self.folder / name)

    def _target(self, rel: str) -> Path:
        if not _clean(rel):
            raise ValueError(f"not a path inside the output folder: {rel!r}")
        parts = PurePosixPath(rel).parts
        if rel in _OWN:
            raise ValueError("the marker and state files are kbtool's")
        target = self.folder.joinpath(*parts)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target


def _clean(rel: object) -> bool:
    """A relative `/` path that stays inside the folder (a manifest entry, a page path)."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel:
        return False
    return all(p not in ("..", ".", "") for p in rel.split("/"))


def _save_state(folder: Path, state: BuildState, rows: StateRows) -> None:
    """The build state into the cache folder, atomically, after the rows it names (so a
    saved state never names a row that is not there); a cache that cannot be written only
    means the next build is full."""
    try:
        data, named = state.to_bytes(rows)
    except RowsLost:
        return
    if not rows.save(named):
        return
    target = state_path(folder)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError:
        return
    rows.prune(named)


def _forget_state(folder: Path) -> None:
    with contextlib.suppress(OSError):
        state_path(folder).unlink()


@dataclass
class Listing:
    """What the output folder held before the build: the manifest of the build that wrote
    it, that build's id, its regular files (a kept page needs no other look at the disk)
    and its empty folders."""

    manifest: set[str] = field(default_factory=set)
    build: str = ""
    files: set[str] = field(default_factory=set)
    others: set[str] = field(default_factory=set)  # neither folders nor files: a FIFO, say
    empty: list[str] = field(default_factory=list)


def _check_folder(folder: Path, vault_root: Path) -> Listing:
    """The files an earlier build wrote there (its manifest) and what the folder holds;
    raise `OutputError` when the folder is the vault, inside it, holds it, or holds
    anything the manifest does not list."""
    real = folder.resolve()
    vault = vault_root.resolve()
    if real == vault:
        raise OutputError(f"{folder}: the output folder is the vault itself")
    if real.is_relative_to(vault):
        raise OutputError(f"{folder}: the output folder is inside the vault; choose one outside")
    if vault.is_relative_to(real):
        raise OutputError(f"{folder}: the output folder contains the vault")
    if not folder.exists() and not folder.is_symlink():
        return Listing()
    if folder.is_symlink() or not folder.is_dir():
        raise OutputError(f"{folder}: the output path exists and is not a folder")
    listing = _list(folder)
    if not listing.files and not listing.others:
        return listing
    listing.manifest, listing.build = _read_manifest(folder)
    for rel in sorted((listing.files | listing.others) - listing.manifest):
        if rel not in _OWN and not rel.rsplit("/", 1)[-1].startswith(_TMP_PREFIX):
            raise OutputError(
                f"{folder}: holds '{rel}', which kbtool did not write; refusing to build there "
                "(use an empty or new folder)"
            )
    return listing


def _list(folder: Path) -> Listing:
    """Every entry below `folder` (one `scandir` per folder, no `stat` per file): its
    files as `/` paths, its other entries, its empty folders; a symlink anywhere is
    refused."""
    listing = Listing()
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        count = 0
        with os.scandir(path) as entries:
            for entry in entries:
                count += 1
                rel = prefix + entry.name
                if entry.is_symlink():
                    raise OutputError(f"{folder}: holds a symlink '{rel}'; refusing to build there")
                if entry.is_dir(follow_symlinks=False):
                    pending.append((rel + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    listing.files.add(rel)
                else:
                    listing.others.add(rel)
        if count == 0 and prefix:
            listing.empty.append(prefix[:-1])
    return listing


def _read_manifest(folder: Path) -> tuple[set[str], str]:
    marker = folder / MARKER
    if not marker.is_file():
        raise OutputError(
            f"{folder}: is not empty and was not written by 'kbtool build'; refusing to build "
            "there (use an empty or new folder)"
        )
    try:
        data = json.loads(marker.read_text("utf-8"))
        files = data["files"]
        build = data.get("build", "")
        if not isinstance(files, list) or not all(_clean(f) for f in files):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise OutputError(f"{marker}: damaged build manifest; remove the folder by hand") from None
    return set(files), build if isinstance(build, str) else ""


def _remove_empty_folders(folder: Path, empty: list[str], removed: list[str]) -> None:
    """Remove the folders left empty: those found empty, those that held a removed file,
    and their parents (deepest first), without listing the whole site again."""
    candidates: set[str] = set()
    for rel in [*empty, *(posixpath.dirname(r) for r in removed)]:
        while rel and rel not in candidates:
            candidates.add(rel)
            rel = posixpath.dirname(rel)
    for rel in sorted(candidates, key=lambda r: (-r.count("/"), r)):
        with contextlib.suppress(OSError):
            (folder / rel).rmdir()  # only succeeds when empty
