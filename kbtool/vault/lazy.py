"""The notes of a listing as a mapping that reads each note when first asked for.

The incremental check asks for the notes that changed and for the few whose
headings or blocks their links reach; every other note stays unread (and
unpickled). A note is read the way `load_files` reads it: through the parse cache,
trusted by its stamp or else hashed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from kbtool.model import Note
from kbtool.vault.cache import ParseCache
from kbtool.vault.load import VaultFiles, read_note


class LazyNotes(Mapping[str, Note]):
    """Every note of `files`, by vault path in listing order, read on first access."""

    def __init__(self, files: VaultFiles, store: ParseCache) -> None:
        self._entries = {rel: (path, status) for rel, path, status in files.notes}
        self._loaded: dict[str, Note] = {}
        self._store = store

    def __getitem__(self, rel: str) -> Note:
        note = self._loaded.get(rel)
        if note is None:
            path, status = self._entries[rel]
            note = self._loaded[rel] = read_note(rel, path, self._store, status)
        return note

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, rel: object) -> bool:
        return rel in self._entries

    @property
    def loaded(self) -> dict[str, Note]:
        """The notes read so far."""
        return self._loaded
