"""Vault paths as link text: a note's path without its `.md`, the way Obsidian names it."""

from __future__ import annotations


def without_md(path: str) -> str:
    """`path` without a final `.md` in any letter case (`a/B.MD` -> `a/B`); else unchanged."""
    return path[:-3] if path[-3:].lower() == ".md" else path
