"""The notes a listing of the vault found, held compactly.

Each is read as a (vault-relative name, path to read, stamp or None) tuple, but held
as its name, its four stamp numbers in arrays, and its path only where it is not the
vault's folder joined with the name (a name normalised to NFC that the disk spells
otherwise): as tuples of strings and `FileStamp`s, 100,000 notes took 52 MB for the
whole of a command, as much as the check's findings.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import count
from pathlib import Path

from kbtool.base.sequences import MadeOnRead
from kbtool.vault.cache import FileStamp

NoteEntry = tuple[str, str | Path, FileStamp | None]


class NoteListing(MadeOnRead[NoteEntry]):
    """The listing's notes, in order (see the module's doc)."""

    def __init__(self, root: Path, entries: Iterable[NoteEntry]) -> None:
        self._prefix = os.path.join(str(root), "")
        self._names: list[str] = []
        self._paths: dict[int, str | Path] = {}  # only those that are not prefix + name
        self._sizes = array("Q")
        self._inodes = array("Q")
        self._times = array("q")  # mtime_ns, ctime_ns of each note
        self._unstamped: set[int] = set()
        for index, (name, path, stamp) in enumerate(entries):
            self._names.append(name)
            if not isinstance(path, str) or path != self._prefix + name:
                self._paths[index] = path
            if stamp is None:
                self._unstamped.add(index)
                stamp = FileStamp(0, 0, 0, 0)
            self._sizes.append(stamp.size)
            self._inodes.append(stamp.ino)
            self._times.append(stamp.mtime_ns)
            self._times.append(stamp.ctime_ns)

    def __len__(self) -> int:
        return len(self._names)

    def _item(self, index: int) -> NoteEntry:
        name = self._names[index]
        path = self._paths.get(index) or self._prefix + name
        if index in self._unstamped:
            return name, path, None
        times = self._times
        stamp = FileStamp(
            self._sizes[index], times[2 * index], self._inodes[index], times[2 * index + 1]
        )
        return name, path, stamp

    def __iter__(self) -> Iterator[NoteEntry]:
        # written out, not `map(self._item, ...)`: a warm check walks the listing
        # several times, and a call and four index look-ups a note were 3 µs of it
        prefix, paths, unstamped = self._prefix, self._paths, self._unstamped
        new, stamp_type = tuple.__new__, FileStamp
        times = self._times
        columns = zip(count(), self._names, self._sizes, times[0::2], self._inodes, times[1::2])
        for index, name, size, mtime_ns, ino, ctime_ns in columns:
            path = (paths.get(index) or prefix + name) if paths else prefix + name
            if unstamped and index in unstamped:
                yield name, path, None
            else:
                yield name, path, new(stamp_type, (size, mtime_ns, ino, ctime_ns))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
