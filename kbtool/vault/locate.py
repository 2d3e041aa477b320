"""Which note a command-line NOTE argument names (`show`, `review done`).

A file path (from the current folder or the vault root), or a name or partial
path resolved like a wiki-link written at the vault root.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING
from kbtool.base.paths import without_md
from kbtool.errors import KbtoolError

if TYPE_CHECKING:
    from kbtool.vault.load import Vault


class NoteNotFound(KbtoolError, LookupError):
    """NOTE names no note of the vault; the message says why, with a hint if one fits."""


def locate_note(vault: Vault, arg: str, cwd: Path | None = None) -> tuple[str, tuple[str, ...]]:
    """The vault path NOTE names, and the other matches when a name is ambiguous
    (the first is the note Obsidian would open)."""
    root = vault.root.resolve()
    for candidate in ((cwd or Path.cwd()) / arg, vault.root / arg):
        real = _existing_file(candidate)
        if real is None:
            continue
        if not real.is_relative_to(root):
            raise NoteNotFound(f"{arg}: not inside the vault {vault.root}")
        rel = unicodedata.normalize("NFC", real.relative_to(root).as_posix())
        if rel not in vault.notes:
            raise NoteNotFound(f"{arg}: not a note of the vault (excluded or not Markdown)")
        return rel, ()
    resolution = vault.resolver.resolve(arg, "")
    target = resolution.target
    if target is None or target not in vault.notes:
        hint = vault.resolver.suggest(arg) or _closest_note(vault, arg)
        raise NoteNotFound(
            f"{arg}: no such note in {vault.root}" + (f" (did you mean {hint}?)" if hint else "")
        )
    return target, tuple(c for c in resolution.candidates if c != target)


def _closest_note(vault: Vault, arg: str) -> str | None:
    """The note name to type instead, as broken links suggest one; a NOTE argument may be
    the start of a long name with a typo, so it is scored as a part of the name."""
    from kbtool.vault.names import NameIndex

    paths = list(vault.notes)
    names = [vault.notes[p].name for p in paths]
    found = NameIndex(names).closest(arg, partial=True)
    if found is None:
        return None
    name = names[found]
    return f'"{name}"' if names.count(name) == 1 else f'"{without_md(paths[found])}"'


def _existing_file(candidate: Path) -> Path | None:
    """The real path of `candidate` if it names an existing file; None when it cannot be a
    file path at all (a name over 255 bytes, a NUL byte, a link loop): then NOTE is a name."""
    try:
        return candidate.resolve(strict=True) if candidate.is_file() else None
    except (OSError, ValueError, RuntimeError):
        return None
