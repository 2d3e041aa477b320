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
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from kbtool.site.incremental import STATE, BuildState, digest, state_path

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
        self.previous, self.build = _check_folder(self.folder, vault_root)
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
        return rel in self.state.files and (self.folder / rel).is_file()

    def keep(self, rel: str) -> None:
        """Keep the file the last build wrote at `rel` as part of this build."""
        self.digests[rel] = self.state.files[rel]
        self.written.add(rel)

    def _write(self, rel: str, key: str, fill: Callable[[BinaryIO], object]) -> bool:
        if self.state.files.get(rel) == key and (self.folder / rel).is_file():
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
        for rel in sorted(self.previous - self.written):
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
            _save_state(self.folder, state.to_bytes())
        _remove_empty_folders(self.folder)

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


def _save_state(folder: Path, data: bytes) -> None:
    """The build state into the cache folder, atomically; a cache that cannot be written
    only means the next build is full."""
    target = state_path(folder)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError:
        return


def _forget_state(folder: Path) -> None:
    with contextlib.suppress(OSError):
        state_path(folder).unlink()


def _check_folder(folder: Path, vault_root: Path) -> tuple[set[str], str]:
    """The files an earlier build wrote there (its manifest) and that build's id; raise
    `OutputError` when the folder is the vault, inside it, holds it, or holds anything the
    manifest does not list."""
    real = folder.resolve()
    vault = vault_root.resolve()
    if real == vault:
        raise OutputError(f"{folder}: the output folder is the vault itself")
    if real.is_relative_to(vault):
        raise OutputError(f"{folder}: the output folder is inside the vault; choose one outside")
    if vault.is_relative_to(real):
        raise OutputError(f"{folder}: the output folder contains the vault")
    if not folder.exists() and not folder.is_symlink():
        return set(), ""
    if folder.is_symlink() or not folder.is_dir():
        raise OutputError(f"{folder}: the output path exists and is not a folder")
    entries = _files_under(folder)
    if not entries:
        return set(), ""
    manifest, build = _read_manifest(folder)
    for rel in sorted(entries):
        if (
            rel not in _OWN
            and rel not in manifest
            and not rel.rsplit("/", 1)[-1].startswith(_TMP_PREFIX)
        ):
            raise OutputError(
                f"{folder}: holds '{rel}', which kbtool did not write; refusing to build there "
                "(use an empty or new folder)"
            )
    return manifest, build


def _files_under(folder: Path) -> set[str]:
    """Every file below `folder` as a `/` path; a symlink anywhere is refused."""
    found: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        for name in dirnames + filenames:
            if (base / name).is_symlink():
                rel = (base / name).relative_to(folder).as_posix()
                raise OutputError(f"{folder}: holds a symlink '{rel}'; refusing to build there")
        for name in filenames:
            found.add((base / name).relative_to(folder).as_posix())
    return found


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


def _remove_empty_folders(folder: Path) -> None:
    for dirpath, _dirnames, _filenames in os.walk(folder, topdown=False):
        path = Path(dirpath)
        if path != folder:
            with contextlib.suppress(OSError):
                path.rmdir()  # only succeeds when empty
