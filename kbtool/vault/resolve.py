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

Opt-in extensions for other tools' conventions (`[links]` in kbtool.toml, all
off by default): when no file matches, a path under one of `generated_pages`
(Quartz's `tags/...`) or, with `folder_pages`, a folder link (`[[advanced/]]`)
to a folder that holds notes is a page the publisher generates (the folder's
`index.md` when there is one), not a broken link; `allow_unresolved` makes a
link to a note not yet written KB208's case.

Every lookup goes through dicts built once per vault (by lower-cased last
path component, by exact path, by lower-cased alias), and results are
memoised per normalised path (per source folder too when the answer depends
on it: ambiguous and relative paths), so a vault's links resolve in time
linear in their number.
"""

from __future__ import annotations

import posixpath
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple, cast, overload

from kbtool.base.paths import without_md
from kbtool.base.sequences import MadeOnRead
from kbtool.vault.subpaths import SubpathIndex, SubpathKind, subpath_kind
from kbtool.model import Link, Note
from kbtool.notes.linktext import has_scheme, normalise_target
from kbtool.model import Finding, Fix, new_tuple
from kbtool.vault.names import NameIndex

if TYPE_CHECKING:
    from kbtool.config import LinksConfig
    from kbtool.config.obsidian import LinkFormat

# Why a candidate was chosen among several; KB202 quotes these.
SAME_FOLDER = "the only note in the same folder as the source"
SHORTEST = "the shortest path"
ALPHABETICAL = "first alphabetically"
# Unresolved on purpose: a page the publisher generates, a folder's listing page.
GENERATED = "generated"
FOLDER = "folder"
FOLDER_INDEX = "the folder's index.md"  # a folder link, with folder_pages, to a folder's page


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a link path leads.

    `target` is a vault path (`Folder/Note.md`, `img/x.png`) or None.
    `candidates` lists every file that matched when more than one did (the
    chosen one first), else is empty. `reason` says how the target was found:
    "source", "exact", "unique", "relative", "alias", or one of SAME_FOLDER,
    SHORTEST, ALPHABETICAL; "" when unresolved, or GENERATED / FOLDER when no
    file matches but `[links]` says the publisher makes that page. `key` is the
    normalised path.
    """

    target: str | None
    key: str
    candidates: tuple[str, ...] = ()
    reason: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.target is not None and len(self.candidates) > 1

    @property
    def generated(self) -> bool:
        """No file, but a page the publisher makes (`[links] generated_pages`, `folder_pages`)."""
        return self.reason in (GENERATED, FOLDER)


class ResolvedLink(NamedTuple):
    """One link occurrence of one note, with where it leads (a tuple: a vault has many)."""

    note: Note
    link: Link
    resolution: Resolution

    @property
    def target(self) -> str | None:
        return self.resolution.target

    def finding(self, message: str, fix: Fix | None = None) -> Finding:
        """A rule finding that spans this link in its note."""
        link = self.link
        return Finding(
            self.note.path, link.line, link.column, message, link.end_line, link.end_column, fix
        )


class ResolvedLinks(MadeOnRead[ResolvedLink]):
    """Every internal link of a vault with its resolution, note by note, in file order.

    Held as one tuple of resolutions a note beside the note's own links, not as a
    `ResolvedLink` a link: some fifteen links a note at 64 bytes each were, after the
    notes themselves, the largest part of a large check's memory. A `ResolvedLink`
    is made when read (iterating makes each in turn) and is equal every time.
    """

    __slots__ = ("_notes", "_links", "_resolutions", "_starts", "_at")

    def __init__(self) -> None:
        self._notes: list[Note] = []
        self._links: list[tuple[Link, ...]] = []
        self._resolutions: list[tuple[Resolution, ...]] = []
        self._starts = array("Q", [0])  # where each note's links start, and the end
        self._at: dict[str, int] = {}  # note path -> its place in the lists above

    def add(self, note: Note, links: tuple[Link, ...], resolved: tuple[Resolution, ...]) -> None:
        """The internal `links` of `note` (in file order) and their resolutions."""
        if not links:
            return
        self._at[note.path] = len(self._notes)
        self._notes.append(note)
        self._links.append(links)
        self._resolutions.append(resolved)
        self._starts.append(self._starts[-1] + len(links))

    def __len__(self) -> int:
        return self._starts[-1]

    def __iter__(self) -> Iterator[ResolvedLink]:
        for note, links, resolved in zip(self._notes, self._links, self._resolutions):
            yield from _made(note, links, resolved)

    def _item(self, index: int) -> ResolvedLink:
        k = bisect_right(self._starts, index) - 1
        at = index - self._starts[k]
        return ResolvedLink(self._notes[k], self._links[k][at], self._resolutions[k][at])

    def to_note_subpaths(self) -> list[ResolvedLink]:
        """`subpath_links_among(self)`, without making a `ResolvedLink` of every link."""
        found = []
        for note, links, resolved in zip(self._notes, self._links, self._resolutions):
            for link, resolution in zip(links, resolved):
                if link.subpath and is_note(resolution.target):
                    found.append(ResolvedLink(note, link, resolution))
        return found

    def of_note(self, path: str) -> list[ResolvedLink]:
        """The links written in the note at `path`, in file order."""
        k = self._at.get(path)
        if k is None:
            return []
        return list(_made(self._notes[k], self._links[k], self._resolutions[k]))


def _made(
    note: Note, links: Iterable[Link], resolved: Iterable[Resolution]
) -> Iterator[ResolvedLink]:
    """`ResolvedLink(note, link, resolution)` for each pair, built in C (`new_tuple`):
    the named tuple's own `__new__` is a Python call, and a check makes millions."""
    return map(new_tuple, repeat(ResolvedLink), zip(repeat(note), links, resolved))


def _lower_key(path: str) -> str:
    """The lookup key of a vault file: notes without `.md`, lower-cased."""
    return without_md(path).lower()


def _last_component(key: str) -> str:
    return key.rsplit("/", 1)[-1]


_PATH = attrgetter("path")


def _internal(links: tuple[Link, ...]) -> tuple[Link, ...]:
    """`links` without the external ones (`is_external`), in order."""
    if any(map(is_external, links)):
        return tuple(link for link in links if not is_external(link))
    return links


def is_external(link: Link) -> bool:
    """A Markdown link with a scheme (`https:`, `mailto:`) points outside the vault."""
    return link.syntax == "markdown" and has_scheme(link.path)


def link_label(link: Link) -> str:
    """How a message shows a link: `[[path#sub]]` (with `!` for embeds) or the Markdown text."""
    if link.syntax == "markdown":
        return link.raw
    bang = "!" if link.kind == "embed" else ""
    return f"{bang}[[{link.path}{link.subpath}]]"


def _default_links() -> LinksConfig:
    """Obsidian's own link rules; imported here so that `kbtool rules` needs no pydantic."""
    from kbtool.config import LinksConfig

    return LinksConfig()


@dataclass
class Resolver:
    """Resolves link paths against one vault; build with `Resolver.build(...)`."""

    files: tuple[str, ...]
    links: LinksConfig = field(default_factory=_default_links)
    link_format: LinkFormat = "shortest"  # Obsidian's "New link format", for fixes
    _exact: dict[str, str] = field(default_factory=dict)
    _by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _aliases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _keys: dict[str, str] = field(default_factory=dict)  # path as written -> normalised
    _anywhere: dict[str, Resolution] = field(default_factory=dict)  # same from every folder
    _memo: dict[tuple[str, str], Resolution] = field(default_factory=dict)  # by source folder
    _notes: Mapping[str, Note] = field(default_factory=dict)
    _resolved: ResolvedLinks | None = None
    _by_target: dict[str, list[ResolvedLink]] | None = None
    _names: dict[bool, tuple[NameIndex, list[str]]] = field(default_factory=dict)
    _with_subpath: dict[SubpathKind | None, list[ResolvedLink]] | None = None
    _extensions: frozenset[str] = frozenset()
    _stems: dict[str, str] | None = None
    _suggestions: dict[str, str | None] = field(default_factory=dict)
    _subpaths: dict[str, SubpathIndex] = field(default_factory=dict)
    _folders: dict[str, str] | None = None

    @classmethod
    def build(
        cls,
        notes: Mapping[str, Note],
        attachments: Sequence[str],
        links: LinksConfig,
        link_format: LinkFormat = "shortest",
        aliases: Mapping[str, Sequence[str]] | None = None,
    ) -> Resolver:
        """A resolver over these notes and attachments (vault paths), with these conventions.

        `aliases` (each note's `note_aliases`, when known without the notes) spares
        reading every note: `notes` may then be a mapping that loads a note when asked,
        and only the notes whose headings or blocks a link needs are loaded."""
        files = tuple(notes) + tuple(attachments)
        resolver = cls(files, links, link_format)
        resolver._notes = notes
        resolver._extensions = frozenset(
            a.rsplit(".", 1)[1].lower() for a in attachments if "." in a.rsplit("/", 1)[-1]
        )
        for path in files:
            exact = without_md(path)
            resolver._exact.setdefault(exact, path)
            resolver._by_name[_last_component(_lower_key(path))].append(path)
        if aliases is None:
            aliases = {note.path: note_aliases(note) for note in notes.values()}
        for path in notes:
            for alias in aliases.get(path, ()):
                resolver._aliases[alias.lower()].append(path)
        return resolver

    # -- resolution ------------------------------------------------------

    def resolve(self, path: str, source: str) -> Resolution:
        """Resolve a link path written in the note at vault path `source`."""
        if not path.strip():
            return Resolution(source, "", (), "source")
        key = self._keys.get(path)
        if key is None:
            key = self._keys[path] = normalise_target(path)
        found = self._anywhere.get(key)
        if found is not None:
            return found
        folder = posixpath.dirname(source)
        found = self._memo.get((folder, key))
        if found is None:
            found = self._resolve(key, folder)
            if found.target is None:
                found = self._publisher_page(key, folder) or found
            if found.ambiguous or key.startswith(("./", "../")):
                self._memo[(folder, key)] = found
            else:
                self._anywhere[key] = found
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
        if not candidates and self.links.resolve_aliases:
            candidates = list(dict.fromkeys(self._aliases.get(lowered, ())))
            if len(candidates) == 1:
                return Resolution(candidates[0], key, (), "alias")
        if not candidates:
            return Resolution(None, key)
        if len(candidates) == 1:
            return Resolution(candidates[0], key, (), "unique")
        return _choose(candidates, key, folder)

    def _publisher_page(self, key: str, folder: str) -> Resolution | None:
        """A path no file matches that `[links]` declares a generated page: a folder link
        (`[[advanced/]]`, `./features/`) to a folder of notes with `folder_pages` (its
        `index.md` when it has one: Quartz shows that note as the folder's page), or a path
        under one of `generated_pages` (whole components: "tags/" covers `tags/a/b`)."""
        stripped = key
        while stripped.startswith(("./", "../")):
            stripped = stripped.split("/", 1)[1]
        if self.links.folder_pages and key.endswith("/"):
            wanted = [stripped.rstrip("/").lower()]
            if key.startswith(("./", "../")):  # relative first, then dots dropped, as for files
                wanted.insert(0, posixpath.normpath(posixpath.join(folder, key)).lower())
            folders = self._note_folders()
            for found in (folders[w] for w in wanted if w in folders):
                index = self._exact.get(f"{found}/index")
                if index is not None and is_note(index):
                    return Resolution(index, key, (), FOLDER_INDEX)
                return Resolution(None, key, (), FOLDER)
        lowered = stripped.lower()
        for prefix in self.links.generated_pages:
            base = prefix.rstrip("/")
            if lowered.rstrip("/") == base or lowered.startswith(base + "/"):
                return Resolution(None, key, (), GENERATED)
        return None

    def _note_folders(self) -> dict[str, str]:
        """Every folder that holds a note, at any depth, by its lower-cased path."""
        if self._folders is None:
            folders: dict[str, str] = {}
            for path in self._notes:
                parent = posixpath.dirname(path)
                while parent and parent.lower() not in folders:
                    folders[parent.lower()] = parent
                    parent = posixpath.dirname(parent)
            self._folders = folders
        return self._folders

    def resolve_link(self, note: Note, link: Link) -> Resolution:
        """Resolve one link of `note` (external Markdown links resolve to nothing)."""
        if is_external(link):
            return Resolution(None, link.path, (), "external")
        return self.resolve(link.path, note.path)

    def resolved_links(self) -> ResolvedLinks:
        """Every internal link of the vault with its resolution, computed once and shared
        by KB201 to KB207, the graph, stats and show. External Markdown links are left out."""
        if self._resolved is None:
            resolved = ResolvedLinks()
            for note in self._notes.values():
                links = _internal(note.links)
                resolved.add(note, links, self._resolve_all(links, note.path))
            self._resolved = resolved
        return self._resolved

    def resolved_embeds(self) -> list[ResolvedLink]:
        """What `resolved_links()` holds of embeds, in its order, resolving only embeds
        when it was not made: the embed-cycle rule needs no other link."""
        if self.resolved_all:
            return [item for item in self.resolved_links() if item.link.kind == "embed"]
        resolve = self.resolve
        return [
            ResolvedLink(note, link, resolve(link.path, note.path))
            for note in self._notes.values()
            for link in note.links
            if link.kind == "embed" and not is_external(link)
        ]

    @property
    def resolved_all(self) -> bool:
        """Whether `resolved_links()` was made (what `resolved_embeds` then reads)."""
        return self._resolved is not None

    def links_of(self, note: Note) -> list[ResolvedLink]:
        """The internal links written in `note`, resolved, in file order: what
        `links_from` gives, without resolving every other note's links."""
        links = _internal(note.links)
        return list(_made(note, links, self._resolve_all(links, note.path)))

    def _resolve_all(self, links: Sequence[Link], source: str) -> tuple[Resolution, ...]:
        """`resolve(link.path, source)` for each link. A path resolved before to what it
        means from every folder (nearly every path, after the first notes) is looked up
        in C, with no call of `resolve` a link: a check resolves some fifteen a note."""
        paths = tuple(map(_PATH, links))
        # a path not seen yet has no key, and None is no key of `_anywhere`
        anywhere = cast("Callable[[str | None], Resolution | None]", self._anywhere.get)
        found = list(map(anywhere, map(self._keys.get, paths)))
        if not all(found):  # a Resolution is always true
            resolve = self.resolve
            for i, resolution in enumerate(found):
                if resolution is None:
                    found[i] = resolve(paths[i], source)
        return tuple(found)  # type: ignore[arg-type]  # every None was replaced

    def subpath_links(self, kind: SubpathKind | None = None) -> list[ResolvedLink]:
        """The resolved links to a note that carry a `#heading` or `#^block` subpath
        (what KB203 and KB204 check), filtered once from `resolved_links()`; with `kind`,
        only those of that kind."""
        if self._with_subpath is None:
            self._with_subpath = {None: self.resolved_links().to_note_subpaths()}
        if kind not in self._with_subpath:
            self._with_subpath[kind] = subpath_links_among(self._with_subpath[None], kind)
        return self._with_subpath[kind]

    def links_from(self, path: str) -> list[ResolvedLink]:
        """The resolved internal links written in the note at `path`, in file order."""
        return self.resolved_links().of_note(path)

    def links_to(self, path: str) -> list[ResolvedLink]:
        """Every link that resolves to `path` (backlinks, self-links included)."""
        if self._by_target is None:  # made on first use: a check never asks
            self._by_target = {}
            for item in self.resolved_links():
                if item.target is not None:
                    self._by_target.setdefault(item.target, []).append(item)
        return self._by_target.get(path, [])

    def note(self, path: str) -> Note:
        return self._notes[path]

    def subpath_index(self, path: str) -> SubpathIndex:
        """Lookups in the headings and block ids of the note at `path` (kept only for
        GitHub anchors, which are made once per note)."""
        style = self.links.heading_slugs
        if style == "obsidian":
            return SubpathIndex(self._notes[path])
        index = self._subpaths.get(path)
        if index is None:
            index = self._subpaths[path] = SubpathIndex(self._notes[path], style)
        return index

    def is_attachment_path(self, path: str) -> bool:
        """A path with a non-Markdown extension: one Obsidian accepts or one the vault holds."""
        return has_attachment_extension(path, self._extensions)

    def is_missing_attachment(self, item: ResolvedLink) -> bool:
        """An unresolved embed of a non-Markdown file: KB205's case, not KB201's."""
        return (
            item.target is None
            and item.link.kind == "embed"
            and self.is_attachment_path(item.link.path)
        )

    def is_placeholder(self, item: ResolvedLink) -> bool:
        """With `[links] allow_unresolved`, a link to a note not yet written: KB208's case.

        Not a file (attachment extension), a folder (`[[guides/]]`) or a generated page,
        and not an alias of a note that exists (that is a mistake with a fix, KB201)."""
        return (
            self.links.allow_unresolved
            and item.target is None
            and not item.resolution.generated
            and not item.resolution.key.endswith("/")  # a folder, not a note
            and not self.is_attachment_path(item.link.path)
            and not self.alias_owners(item.link.path)
        )

    # -- suggestions -----------------------------------------------------

    def alias_owners(self, path: str) -> list[str]:
        """Notes whose `aliases` include `path` (case-insensitive), in vault order."""
        return list(dict.fromkeys(self._aliases.get(normalise_target(path).lower(), ())))

    def link_text(self, target: str) -> str:
        """The shortest wiki-link path that reaches `target` from anywhere without ambiguity."""
        key = without_md(target)
        name = key.rsplit("/", 1)[-1]
        same_name = self._by_name.get(name.lower(), [])
        return name if len(same_name) <= 1 else key

    def new_link_path(self, target: str, source: str) -> str:
        """The path Obsidian writes in a new link from `source` to `target`, by the vault's
        "New link format": the shortest unambiguous one, the vault path, or a path
        relative to the source's folder."""
        key = without_md(target)
        if self.link_format == "absolute":
            return key
        if self.link_format == "relative":
            return posixpath.relpath(key, posixpath.dirname(source) or ".")
        return self.link_text(target)

    def suggest(self, path: str) -> str | None:
        """A hint for a link that matches nothing: an alias owner, else the closest name.

        Returns the text to put after "did you mean" / the replacement to write,
        e.g. `[[Artificial Intelligence|AI]]` or `[[Kubernetes]]`.
        """
        key = normalise_target(path)
        if key not in self._suggestions:
            self._suggestions[key] = self._suggest(key)
        return self._suggestions[key]

    def suggestions(self) -> dict[str, str | None]:
        """Every hint made so far, by normalised link path: valid for another resolver
        over the same files and aliases (`adopt_suggestions`)."""
        return dict(self._suggestions)

    def adopt_suggestions(self, known: dict[str, str | None]) -> None:
        """Take the hints of a resolver over the same files and aliases: building the
        index of names for "did you mean" costs more than a few links are worth."""
        self._suggestions.update(known)

    def _suggest(self, key: str) -> str | None:
        owners = self.alias_owners(key)
        if owners:
            return f"[[{self.link_text(owners[0])}|{key}]]"
        last = key.rsplit("/", 1)[-1]
        if not self.is_attachment_path(last):
            with_extension = self._attachment_stems().get(last.lower())
            if with_extension:
                return f"[[{self.link_text(with_extension)}]]"
        index, files = self._names_by_kind(self.is_attachment_path(last))
        found = index.closest(last)
        return None if found is None else f"[[{self.link_text(files[found])}]]"

    def _attachment_stems(self) -> dict[str, str]:
        """Attachments by lower-cased name without extension: `[[diagram]]` -> diagram.png."""
        if self._stems is None:
            self._stems = {}
            for f in self.files:
                name = f.rsplit("/", 1)[-1]
                if not is_note(f) and "." in name:
                    self._stems.setdefault(name.rsplit(".", 1)[0].lower(), f)
        return self._stems

    def _names_by_kind(self, attachments: bool) -> tuple[NameIndex, list[str]]:
        """Note names (without `.md`) or attachment names (with extension), indexed for
        "did you mean" once, and the file of each."""
        if attachments not in self._names:
            by_name: dict[str, str] = {}
            for f in self.files:
                if is_note(f) != attachments:
                    name = f.rsplit("/", 1)[-1]
                    by_name.setdefault(name if attachments else without_md(name), f)
            self._names[attachments] = (NameIndex(list(by_name)), list(by_name.values()))
        return self._names[attachments]


def subpath_links_among(
    items: Iterable[ResolvedLink], kind: SubpathKind | None = None
) -> list[ResolvedLink]:
    """The links among `items` to a note with a `#heading` or `#^block` subpath (of
    `kind`, when given)."""
    return [
        item
        for item in items
        if item.link.subpath
        and is_note(item.resolution.target)
        and (kind is None or subpath_kind(item.link.subpath) == kind)
    ]


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
