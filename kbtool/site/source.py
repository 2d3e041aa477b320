"""A note's body text as the renderer reads it, with Obsidian comments blanked out.

The text comes through `kbtool.vault.text`, the vault's one reader, which checks
that the bytes are the ones the vault parsed (so every heading and block line
still matches) and splits them exactly as the parser did.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from kbtool.model import Note
from kbtool.notes.scan.api import scan_regions
from kbtool.vault.text import NoteChanged, note_lines

ChangedOnDisk = NoteChanged  # the name the builder catches


class NoteTexts(Mapping[str, str]):
    """Every note's body text, each read when first asked for: a rebuild reads only the
    notes it renders or quotes. A note that cannot be read is empty, and listed in
    `failed` with why."""

    def __init__(self, root: Path, notes: Mapping[str, Note]) -> None:
        self.root = root
        self.notes = notes
        self.failed: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self._lines: dict[str, list[str]] = {}

    def lines(self, path: str) -> list[str]:
        """The body's lines (split once: every backlink to a note quotes a line of it)."""
        found = self._lines.get(path)
        if found is None:
            found = self._lines[path] = self[path].split("\n")
        return found

    def __getitem__(self, path: str) -> str:
        text = self._texts.get(path)
        if text is None:
            note = self.notes[path]
            try:
                text = body_text(self.root, note) if note.size else ""
            except (OSError, ChangedOnDisk) as exc:
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.failed[path] = why
                text = ""
            self._texts[path] = text
        return text

    def forget(self, path: str) -> None:
        """Drop the text of a note whose page is made (a cold build would otherwise hold
        every note's text to the end; a later embed of it reads it again)."""
        self._texts.pop(path, None)
        self._lines.pop(path, None)

    def forget_lines(self) -> None:
        """Drop every note's lines: the backlinks' quotes, their one use, are taken."""
        self._lines.clear()

    def __iter__(self) -> Iterator[str]:
        return iter(self.notes)

    def __len__(self) -> int:
        return len(self.notes)


def body_text(root: Path, note: Note) -> str:
    """The body of `note` (after its frontmatter), `%%comments%%` replaced by blanks."""
    body = note_lines(root, note)[note.body_line - 1 :]
    if not any("%%" in line for line in body):
        return "\n".join(body)  # no comment: spare the second scan
    return "\n".join(_blank_comments(body, note.body_line))


def _blank_comments(lines: list[str], first_line: int) -> list[str]:
    """Obsidian comments, where the scanner found them, become spaces (lines keep their
    numbers, so anchors found by the scanner still sit on the right lines)."""
    regions = [r for r in scan_regions("\n".join(lines), first_line) if r.kind == "comment"]
    for r in regions:
        for line in range(r.line, r.end_line + 1):
            i = line - first_line
            start = r.column - 1 if line == r.line else 0
            end = r.end_column - 1 if line == r.end_line else len(lines[i])
            lines[i] = lines[i][:start] + " " * (end - start) + lines[i][end:]
    return lines
