"""What a report is rendered with: the formats, where paths are shown from, how much."""

from __future__ import annotations

from dataclasses import dataclass, field
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
        return display_path(self.vault_root, vault_path, self.cwd)


def display_path(vault_root: Path, vault_path: str, cwd: Path | None = None) -> str:
    absolute = vault_root.resolve() / vault_path
    here = (cwd or Path.cwd()).resolve()
    if absolute.is_relative_to(here):
        return absolute.relative_to(here).as_posix()
    return str(absolute)
