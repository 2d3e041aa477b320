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
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from kbtool.errors import KbtoolError

MARKER = ".kbtool-site.json"
_TMP_PREFIX = ".kbtool-tmp-"


class OutputError(KbtoolError):
    """The output folder cannot be used; nothing was written."""


class SiteOutput:
    """A checked output folder and the files written to it in this build."""

    def __init__(self, folder: Path, vault_root: Path) -> None:
        self.folder = folder.absolute()
        self.previous = _check_folder(self.folder, vault_root)
        self.written: set[str] = set()

    def write(self, rel: str, data: bytes) -> None:
        """Write `rel` (a `/` path inside the folder) atomically: a temporary file, a rename."""
        self._replace(rel, lambda handle: handle.write(data))

    def write_text(self, rel: str, text: str) -> None:
        self.write(rel, text.encode("utf-8"))

    def copy(self, rel: str, source: Path) -> None:
        """Copy a vault file (an attachment that a note links or embeds) atomically."""

        def fill(handle: BinaryIO) -> None:
            with open(source, "rb") as src:
                shutil.copyfileobj(src, handle)

        self._replace(rel, fill)

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

    def finish(self) -> None:
        """Remove what the last build wrote and this one did not; record the new manifest."""
        for rel in sorted(self.previous - self.written):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / rel).unlink()
        self._save(self.written)
        _remove_empty_folders(self.folder)

    def abandon(self) -> None:
        """After a failed build: keep listing every file written, so the next build may
        replace them (nothing is deleted)."""
        self._save(self.previous | self.written)

    def _save(self, files: set[str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"kbtool-site": 1, "files": sorted(files)}, indent=0).encode()
        marker = self.folder / MARKER
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=self.folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, marker)

    def _target(self, rel: str) -> Path:
        if not _clean(rel):
            raise ValueError(f"not a path inside the output folder: {rel!r}")
        parts = PurePosixPath(rel).parts
        if rel == MARKER:
            raise ValueError("the marker file is kbtool's")
        target = self.folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


def _clean(rel: object) -> bool:
    """A relative `/` path that stays inside the folder (a manifest entry, a page path)."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel:
        return False
    return all(p not in ("..", ".", "") for p in rel.split("/"))


def _check_folder(folder: Path, vault_root: Path) -> set[str]:
    """The files an earlier build wrote there (its manifest); raise `OutputError` when the
    folder is the vault, inside it, holds it, or holds anything the manifest does not list."""
    real = folder.resolve()
    vault = vault_root.resolve()
    if real == vault:
        raise OutputError(f"{folder}: the output folder is the vault itself")
    if real.is_relative_to(vault):
        raise OutputError(f"{folder}: the output folder is inside the vault; choose one outside")
    if vault.is_relative_to(real):
        raise OutputError(f"{folder}: the output folder contains the vault")
    if not folder.exists() and not folder.is_symlink():
        return set()
    if folder.is_symlink() or not folder.is_dir():
        raise OutputError(f"{folder}: the output path exists and is not a folder")
    entries = _files_under(folder)
    if not entries:
        return set()
    manifest = _read_manifest(folder)
    for rel in sorted(entries):
        if (
            rel != MARKER
            and rel not in manifest
            and not rel.rsplit("/", 1)[-1].startswith(_TMP_PREFIX)
        ):
            raise OutputError(
                f"{folder}: holds '{rel}', which kbtool did not write; refusing to build there "
                "(use an empty or new folder)"
            )
    return manifest


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


def _read_manifest(folder: Path) -> set[str]:
    marker = folder / MARKER
    if not marker.is_file():
        raise OutputError(
            f"{folder}: is not empty and was not written by 'kbtool build'; refusing to build "
            "there (use an empty or new folder)"
        )
    try:
        data = json.loads(marker.read_text("utf-8"))
        files = data["files"]
        if not isinstance(files, list) or not all(_clean(f) for f in files):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        raise OutputError(f"{marker}: damaged build manifest; remove the folder by hand") from None
    return set(files)


def _remove_empty_folders(folder: Path) -> None:
    for dirpath, _dirnames, _filenames in os.walk(folder, topdown=False):
        path = Path(dirpath)
        if path != folder:
            with contextlib.suppress(OSError):
                path.rmdir()  # only succeeds when empty


def path_in_vault(output: Path, root: Path) -> str | None:
    """The vault-relative path (NFC) of an output file written into the vault, else None:
    `index -o VAULT/Index.md` leaves that note out of its own index."""
    try:
        rel = output.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    return unicodedata.normalize("NFC", rel.as_posix())
