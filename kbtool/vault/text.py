"""The one way to get a note's text back after loading: read once, verified against the hash.

The loader keeps positions, not text (a vault of 100,000 notes would otherwise
hold all of it). A consumer that needs the words (the index's summaries, `show`'s
snippets, the site's pages) reads the file through here, which refuses bytes that
are not the ones the vault parsed: every heading, block and link position of the
`Note` would be stale.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kbtool.base.fileread import read_inside
from kbtool.errors import KbtoolError
from kbtool.model import Note
from kbtool.notes.lines import decode, split_lines


class NoteChanged(KbtoolError):
    """The note's bytes differ from those the vault parsed: its positions are stale."""


#: How many notes were read back in this process (tests count it: a warm index reads none).
reads = 0


def note_lines(root: Path, note: Note) -> list[str]:
    """The note's file lines (see `kbtool.notes.lines`), as the vault parsed them.

    Raises `NoteChanged` when the file changed since, and `OSError` when it cannot
    be read (or is no longer a regular file inside the vault).
    """
    global reads
    reads += 1
    data = read_inside(root / note.path, root)
    if note.sha256 and hashlib.sha256(data).hexdigest() != note.sha256:
        raise NoteChanged(f"{note.path}: changed on disk since the vault was loaded")
    return split_lines(decode(data))
