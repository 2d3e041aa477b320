"""What a report is rendered with: the formats, where paths are shown from, how much."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

FORMATS = ("text", "json", "github", "sarif")
OUTPUT_FORMATS = ("concise", "full")


@dataclass(frozen=True)
class ReportOptions:
    """Where the report is read from and how much it shows."""

    vault_root: Path  # absolute
    cwd: Path = field(default_factory=Path.cwd)
    colour: bool = False
    output_format: Literal["concise", "full"] = "concise"  # full: the source line, a caret
    statistics: bool = False  # a count per code instead of the findings

    def display_path(self, vault_path: str) -> str:
        """A note's path as the user would type it from the current folder (`docs/y.md`),
        as ruff prints it: relative below the current folder, else absolute. Terminals,
        editors and GitHub annotations (which run in the checkout) open it."""
        return self._paths.shown(vault_path)

    @cached_property
    def _paths(self) -> PathDisplay:
        return PathDisplay(self.vault_root, self.cwd)


class PathDisplay:
    """`display_path` for every finding of a report: the vault's root and the current
    folder are resolved once, not once a finding (each resolve is a system call per
    component of the path: a third of a second for 1,700 findings)."""

    def __init__(self, vault_root: Path, cwd: Path | None = None) -> None:
        self.root = vault_root.resolve()
        self.here = (cwd or Path.cwd()).resolve()
        self._root = str(self.root).rstrip("/") + "/"  # "/" itself: no second slash
        self._here = str(self.here).rstrip("/") + "/"

    def shown(self, vault_path: str) -> str:
        if not _plain(vault_path):  # let pathlib normalise it
            absolute = self.root / vault_path
            if absolute.is_relative_to(self.here):
                return absolute.relative_to(self.here).as_posix()
            return str(absolute)
        absolute_text = self._root + vault_path  # what pathlib's join gives a plain path
        if absolute_text.startswith(self._here):
            return absolute_text[len(self._here) :]
        if absolute_text + "/" == self._here:
            return "."
        return absolute_text


def _plain(vault_path: str) -> bool:
    """Whether `vault_path` is relative and has no empty or `.` part, which pathlib would
    drop: then joining it to a folder is joining the strings."""
    return (
        vault_path not in ("", ".")
        and not vault_path.startswith(("/", "./"))
        and not vault_path.endswith(("/", "/."))
        and "//" not in vault_path
        and "/./" not in vault_path
    )


def display_path(vault_root: Path, vault_path: str, cwd: Path | None = None) -> str:
    """One note's path as `ReportOptions.display_path` shows it."""
    return PathDisplay(vault_root, cwd).shown(vault_path)
