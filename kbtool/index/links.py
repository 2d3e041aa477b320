"""Link targets for the index that resolve to the intended note and to no other.

Obsidian resolves `[[p]]` to the file whose path is `p` exactly, else to
every file whose path ends with `p` (whole components, any case). So the
shortest unambiguous target of a note is its shortest path suffix that no
other file shares; the whole path (without `.md`) always works, since an
exact path wins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import quote

from kbtool.base.paths import without_md

#: Characters that a wiki-link target cannot carry; such notes get a Markdown link.
_UNLINKABLE = ("#", "|", "[", "]", "^")


def _stem(path: str) -> str:
    return without_md(path)


def _suffixes(path: str) -> Iterable[str]:
    """`a/b/c` → `c`, `b/c`, `a/b/c`, lower-cased."""
    parts = path.lower().split("/")
    for start in range(len(parts) - 1, -1, -1):
        yield "/".join(parts[start:])


class LinkNamer:
    """Shortest unambiguous link target of each note, counting every file of the vault.

    `extra` are files that will exist but are not loaded, such as the index
    note itself when it is written into the vault.
    """

    def __init__(
        self, notes: Iterable[str], attachments: Iterable[str] = (), extra: Iterable[str] = ()
    ) -> None:
        self._counts: Counter[str] = Counter()
        for path in (*notes, *extra):
            self._counts.update(_suffixes(_stem(path)))
        for path in attachments:
            self._counts.update(_suffixes(path))

    def target(self, path: str) -> str:
        """The shortest suffix of `path` (without `.md`) that names only this file."""
        stem = _stem(path)
        parts = stem.split("/")
        for start in range(len(parts) - 1, -1, -1):
            if self._counts["/".join(parts[start:]).lower()] == 1:
                return "/".join(parts[start:])
        return stem


def _display(title: str) -> str:
    """A title as link text: one line, no brackets or bars that would end the link early."""
    text = " ".join(title.split())
    return text.replace("[", "(").replace("]", ")").replace("|", "/")


def wikilink(target: str, title: str) -> str:
    """`[[target]]`, or `[[target|title]]` when the title reads differently."""
    display = _display(title)
    if display == target:
        return f"[[{target}]]"
    return f"[[{target}|{display}]]"


def markdown_link(path: str, title: str) -> str:
    """`[title](path%20encoded.md)`: for notes whose names a wiki-link cannot carry."""
    text = " ".join(title.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"[{text}]({quote(path, safe='/')})"


def note_link(target: str, path: str, title: str) -> str:
    """The index's link to a note: a wiki-link when the name allows one."""
    if any(ch in target for ch in _UNLINKABLE) or "]]" in path:
        return markdown_link(path, title)
    return wikilink(target, title)
