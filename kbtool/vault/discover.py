"""Which folder is the vault: given, or found upwards like git and ruff find their root.

`--vault` or the VAULT argument wins. Otherwise the nearest folder at or
above the start (the current folder, or a note's folder for a NOTE path)
that holds `kbtool.toml` or `.obsidian/` is the vault; failing that, the
current folder, or for a note outside it the note's own folder. Running in
a subfolder of a vault then checks the whole vault, with its settings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from kbtool.errors import KbtoolError
from kbtool.base.fileread import names_file, names_folder
from kbtool.config import CONFIG_NAME

OBSIDIAN_FOLDER = ".obsidian"


@dataclass(frozen=True)
class VaultRoot:
    """The vault a command works on, and why that folder."""

    path: Path  # absolute, unless given
    reason: str  # why this folder, for verbose output

    def __str__(self) -> str:
        return f"{self.path} ({self.reason})"


def _marker(folder: Path) -> str | None:
    if names_file(folder / CONFIG_NAME):
        return CONFIG_NAME
    if names_folder(folder / OBSIDIAN_FOLDER):
        return OBSIDIAN_FOLDER + "/"
    return None


def find_marked_root(start: Path) -> tuple[Path, str] | None:
    """The nearest folder at or above `start` holding kbtool.toml or .obsidian/, and which."""
    start = start.absolute()
    for folder in (start, *start.parents):
        marker = _marker(folder)
        if marker is not None:
            return folder, marker
    return None


def discover_vault(
    given: Path | None = None, *, note: Path | None = None, cwd: Path | None = None
) -> VaultRoot:
    """The vault root for a command: `given`, else found from `note` (a file) or `cwd`."""
    cwd = (cwd or Path.cwd()).absolute()
    if given is not None:
        return VaultRoot(given, "given")
    start = note.absolute().parent if note is not None else cwd
    found = find_marked_root(start)
    if found is not None:
        folder, marker = found
        return VaultRoot(folder, f"nearest folder with {marker}")
    if note is not None and not start.is_relative_to(cwd):
        return VaultRoot(start, "the note's folder: no kbtool.toml or .obsidian/ above it")
    return VaultRoot(cwd, "the current folder: no kbtool.toml or .obsidian/ above it")


class TargetError(KbtoolError, ValueError):
    """Command-line paths that name no vault or notes (a usage error)."""


def split_targets(paths: Sequence[Path]) -> tuple[Path | None, list[Path]]:
    """`check [VAULT | FILE...]`: the VAULT folder when one is given, and the FILEs.

    One argument that is not a file is the vault (a missing folder is then
    reported as a missing vault); several must all be existing files.
    """
    if not paths:
        return None, []
    if len(paths) == 1 and not names_file(paths[0]):
        return paths[0], []
    for path in paths:
        if names_folder(path):
            raise TargetError(f"{path}: a folder among FILE arguments (give one VAULT or files)")
        if not names_file(path):
            raise TargetError(f"{path}: no such file")
    return None, list(paths)


def vault_paths(root: Path, files: Sequence[Path]) -> list[str]:
    """The NFC vault-relative paths of `files`, each of which must lie inside `root`."""
    real_root = root.resolve()
    found = []
    for file in files:
        real = file.absolute().parent.resolve() / file.name  # a symlinked note keeps its name
        if not real.is_relative_to(real_root):
            raise TargetError(
                f"{file}: not inside the vault {root} (check the notes of each vault on its own)"
            )
        found.append(unicodedata.normalize("NFC", real.relative_to(real_root).as_posix()))
    return found


@dataclass(frozen=True)
class Selection:
    """What FILE arguments ask `check` to report on."""

    notes: set[str] | None  # vault paths; None: every note (kbtool.toml was named)
    skipped: list[Path]  # named files that are not notes of the vault


def select_notes(root: Path, notes: Collection[str], files: Sequence[Path]) -> Selection:
    """The notes among `files` (vault `root`, its note paths `notes`). A kbtool.toml among
    them selects every note, since a changed configuration concerns them all; files that
    are not notes (excluded, hidden, not Markdown) are skipped. Raises `TargetError` for a
    file outside the vault."""
    paths = vault_paths(root, files)
    if CONFIG_NAME in paths:
        return Selection(None, [])
    skipped = [file for path, file in zip(paths, files, strict=True) if path not in notes]
    return Selection({p for p in paths if p in notes}, skipped)
