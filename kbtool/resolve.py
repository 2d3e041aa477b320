"""Link resolution: which file a link's path reaches, the way Obsidian decides.

The algorithm is §2 of obsidian-links.md:

1. an empty path is the source note itself;
2. normalise (no leading `/`, NFC, no trailing `.md`);
3. a path that names a vault file exactly (with or without `.md`) wins, even
   over a match in the source's folder;
4. else the candidates are the files whose path ends with the link path on
   whole path components, compared case-insensitively;
5. several candidates: the one in the source's own folder, then the shortest
   path string, then the first alphabetically.

Notes are addressed without `.md`, attachments only with their extension, so
`[[diagram]]` never reaches `diagram.png`. Aliases are not targets unless
`[links] resolve_aliases = true`.

Extension (the spec is silent on it): a Markdown link whose destination
starts with `./` or `../` (Obsidian writes these with "New link format:
relative path") is first tried relative to the source's folder; if that
names no file, the dot segments are dropped and the rest resolves vault-wide.

Every lookup goes through dicts built once per vault (by lower-cased last
path component, by exact path, by lower-cased alias), and results are
memoised per (source folder, normalised path), so a vault's links resolve in
time linear in their number.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kbtool.linktext import has_scheme, normalise_target
from kbtool.model import Link, Note

if TYPE_CHECKING:
    from kbtool.vault import Vault

# Why a candidate was chosen among several; KB202 quotes these.
SAME_FOLDER = "the only note in the same folder as the source"
SHORTEST = "the shortest path"
ALPHABETICAL = "first alphabetically"


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a link path leads.

    `target` is a vault path (`Folder/Note.md`, `img/x.png`) or None.
    `candidates` lists every file that matched when more than one did (the
    chosen one first), else is empty. `reason` says how the target was found:
    "source", "exact", "unique", "relative", "alias", or one of SAME_FOLDER,
    SHORTEST, ALPHABETICAL; "" when unresolved. `key` is the normalised path.
    """

    target: str | None
    key: str
    candidates: tuple[str, ...] = ()
    reason: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.target is not None and len(self.candidates) > 1


@dataclass(frozen=True, slots=True)
class ResolvedLink:
    """One link occurrence of one note, with where it leads."""

    note: Note
    link: Link
    resolution: Resolution

    @property
    def target(self) -> str | None:
        return self.resolution.target


def _lower_key(path: str) -> str:
    """The lookup key of a vault file: notes without `.md`, lower-cased."""
    return (path[:-3] if path.lower().endswith(".md") else path).lower()


def _last_component(key: str) -> str:
    return key.rsplit("/", 1)[-1]


def is_external(link: Link) -> bool:
    """A Markdown link with a scheme (`https:`, `mailto:`) points outside the vault."""
    return link.syntax == "markdown" and has_scheme(link.path)


def link_label(link: Link) -> str:
    """How a message shows a link: `[[path#sub]]` (with `!` for embeds) or the Markdown text."""
    if link.syntax == "markdown":
        return link.raw
    bang = "!" if link.kind == "embed" else ""
    return f"{bang}[[{link.path}{link.subpath}]]"


@dataclass
class Resolver:
    """Resolves link paths against one vault; build with `Resolver.for_vault(vault)`."""

    files: tuple[str, ...]
    resolve_aliases: bool = False
    _exact: dict[str, str] = field(default_factory=dict)
    _by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _aliases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _memo: dict[tuple[str, str], Resolution] = field(default_factory=dict)
    _notes: dict[str, Note] = field(default_factory=dict)
    _resolved: list[ResolvedLink] | None = None

    @classmethod
    def for_vault(cls, vault: Vault) -> Resolver:
        files = tuple(vault.notes) + tuple(vault.attachments)
        resolver = cls(files, vault.config.settings.links.resolve_aliases)
        resolver._notes = dict(vault.notes)
        for path in files:
            exact = path[:-3] if path.lower().endswith(".md") else path
            resolver._exact.setdefault(exact, path)
            resolver._by_name[_last_component(_lower_key(path))].append(path)
        for note in vault.notes.values():
            for alias in note_aliases(note):
                resolver._aliases[alias.lower()].append(note.path)
        return resolver

    # -- resolution ------------------------------------------------------

    def resolve(self, path: str, source: str) -> Resolution:
        """Resolve a link path written in the note at vault path `source`."""
        if not path.strip():
            return Resolution(source, "", (), "source")
        key = normalise_target(path)
        folder = posixpath.dirname(source)
        memo_key = (folder, key)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._resolve(key, folder)
            self._memo[memo_key] = found
        return found

    def _resolve(self, key: str, folder: str) -> Resolution:
        if key.startswith(("./", "../")):
            joined = posixpath.normpath(posixpath.join(folder, key))
            if not joined.startswith("../") and joined in self._exact:
                return Resolution(self._exact[joined], key, (), "relative")
            stripped = key
            while stripped.startswith(("./", "../")):
                stripped = stripped.split("/", 1)[1]
            return self._by_suffix(stripped, key, folder)
        if key in self._exact:
            return Resolution(self._exact[key], key, (), "exact")
        return self._by_suffix(key, key, folder)

    def _by_suffix(self, path: str, key: str, folder: str) -> Resolution:
        lowered = path.lower()
        tail = "/" + lowered
        candidates = [
            f
            for f in self._by_name.get(_last_component(lowered), ())
            if _lower_key(f) == lowered or _lower_key(f).endswith(tail)
        ]
        if not candidates and self.resolve_aliases:
            candidates = list(dict.fromkeys(self._aliases.get(lowered, ())))
            if len(candidates) == 1:
                return Resolution(candidates[0], key, (), "alias")
        if not candidates:
            return Resolution(None, key)
        if len(candidates) == 1:
            return Resolution(candidates[0], key, (), "unique")
        return _choose(candidates, key, folder)

    def resolve_link(self, note: Note, link: Link) -> Resolution:
        """Resolve one link of `note` (external Markdown links resolve to nothing)."""
        if is_external(link):
            return Resolution(None, link.path, (), "external")
        return self.resolve(link.path, note.path)

    def resolved_links(self) -> list[ResolvedLink]:
        """Every internal link of the vault with its resolution, computed once and shared
        by KB201 to KB207, the graph and stats. External Markdown links are left out."""
        if self._resolved is None:
            self._resolved = [
                ResolvedLink(note, link, self.resolve_link(note, link))
                for note in self._notes.values()
                for link in note.links
                if not is_external(link)
            ]
        return self._resolved

    def links_from(self, note_path: str) -> Iterator[ResolvedLink]:
        return (r for r in self.resolved_links() if r.note.path == note_path)

    # -- suggestions -----------------------------------------------------

    def alias_owners(self, path: str) -> list[str]:
        """Notes whose `aliases` include `path` (case-insensitive), in vault order."""
        return list(dict.fromkeys(self._aliases.get(normalise_target(path).lower(), ())))

    def link_text(self, target: str) -> str:
        """The shortest wiki-link path that reaches `target` from anywhere without ambiguity."""
        key = target[:-3] if target.lower().endswith(".md") else target
        name = key.rsplit("/", 1)[-1]
        same_name = self._by_name.get(name.lower(), [])
        return name if len(same_name) <= 1 else key

    def suggest(self, path: str) -> str | None:
        """A hint for a link that matches nothing: an alias owner, else the closest name.

        Returns the text to put after "did you mean" / the replacement to write,
        e.g. `[[Artificial Intelligence|AI]]` or `[[Kubernetes]]`.
        """
        key = normalise_target(path)
        owners = self.alias_owners(key)
        if owners:
            return f"[[{self.link_text(owners[0])}|{key}]]"
        from rapidfuzz import fuzz, process, utils

        last = key.rsplit("/", 1)[-1]
        wants_attachment = has_attachment_extension(last)
        names = {
            (_last_component(f) if wants_attachment else _last_component(f)[:-3]): f
            for f in self.files
            if f.lower().endswith(".md") != wants_attachment
        }
        match = process.extractOne(
            last,
            list(names),
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=80,
        )
        if match is None:
            return None
        return f"[[{self.link_text(names[match[0]])}]]"


def _choose(candidates: list[str], key: str, folder: str) -> Resolution:
    """Obsidian's tie-break: same folder as the source, then shortest path, then alphabetical."""
    ordered = sorted(candidates, key=lambda f: (posixpath.dirname(f) != folder, len(f), f))
    first, second = ordered[0], ordered[1]
    if posixpath.dirname(first) == folder and posixpath.dirname(second) != folder:
        reason = SAME_FOLDER
    elif len(first) < len(second):
        reason = SHORTEST
    else:
        reason = ALPHABETICAL
    return Resolution(first, key, tuple(ordered), reason)


def note_aliases(note: Note) -> list[str]:
    """The note's `aliases` (a list, or one string), as non-empty stripped strings."""
    value = note.meta.get("aliases")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if v is not None and str(v).strip()]


# Obsidian's accepted file formats (help: "Accepted file formats"), besides Markdown.
ATTACHMENT_EXTENSIONS = frozenset(
    [
        "avif",
        "bmp",
        "gif",
        "jpeg",
        "jpg",
        "png",
        "svg",
        "webp",
        "flac",
        "m4a",
        "mp3",
        "ogg",
        "wav",
        "webm",
        "3gp",
        "mkv",
        "mov",
        "mp4",
        "ogv",
        "pdf",
        "canvas",
        "base",
    ]
)


def has_attachment_extension(path: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when the path ends in a known non-Markdown extension (an attachment, not a note)."""
    last = path.rsplit("/", 1)[-1]
    if "." not in last:
        return False
    ext = last.rsplit(".", 1)[1].lower()
    return ext in ATTACHMENT_EXTENSIONS or ext in extra


def is_note(path: str | None) -> bool:
    return path is not None and path.lower().endswith(".md")
