"""Build the vault's index as plain data; the renderers only format it.

One pass over the notes (plus one read of each note's body for its
summary), so the index of a large vault costs little more than loading it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbtool import codes
from kbtool.index.links import LinkNamer, note_link
from kbtool.index.recent import Source, modified_at, most_recent
from kbtool.index.summaries import SummaryCache
from kbtool.index.summary import note_summary
from kbtool.index.tagtree import TagNode, build_tag_tree
from kbtool.model import Note
from kbtool.notes.properties import note_type
from kbtool.vault.text import NoteChanged

if TYPE_CHECKING:
    from kbtool.vault.load import Vault

DEFAULT_RECENT = 10
UNTYPED = "Untyped"


@dataclass(frozen=True, slots=True)
class Entry:
    """One note as the index lists it.

    `target` is the shortest link target that reaches exactly this note;
    `link` the Markdown to write for it (a wiki-link, or a Markdown link for
    names a wiki-link cannot carry).
    """

    path: str
    title: str
    type: str | None
    summary: str
    target: str
    link: str
    modified: dt.datetime | None  # None: an unreadable file, with no date and no mtime
    modified_source: Source | None


@dataclass(frozen=True, slots=True)
class TypeGroup:
    type: str | None  # None: notes without a type
    notes: tuple[str, ...]  # paths, sorted by title

    @property
    def label(self) -> str:
        return self.type if self.type is not None else UNTYPED


@dataclass(frozen=True, slots=True)
class MocGroup:
    """MOCs that reach one another (a strongly connected component of the notes' graph)
    and the notes they reach, listed once for the group: each of `mocs` reaches all of
    `reaches` but itself. Once per group, not per MOC: with many MOCs that each reach
    most of a vault, a list per MOC would make the index grow with MOCs times notes
    (issue 11 §6)."""

    mocs: tuple[str, ...]  # sorted by title
    reaches: tuple[str, ...]  # sorted by title; holds every one of `mocs` when they are several

    @property
    def count(self) -> int:
        """How many notes each of its MOCs reaches (the others of the group included)."""
        return len(self.reaches) - (len(self.mocs) > 1)

    def others(self) -> Iterator[str]:
        """The notes the group reaches that are not among its own MOCs."""
        own = set(self.mocs)
        return (p for p in self.reaches if p not in own)


@dataclass(frozen=True, slots=True)
class MocReach:
    """One MOC, the number of its group in `Index.moc_groups`, and what it reaches: its
    group's `reaches` without itself (shared with the group, not copied)."""

    path: str
    group: int
    listed: tuple[str, ...]  # the group's `reaches`
    count: int  # how many `reached()` gives

    def reached(self) -> Iterator[str]:
        """The notes this MOC reaches, sorted by title, itself left out."""
        path = self.path
        return (p for p in self.listed if p != path)

    @property
    def reaches(self) -> tuple[str, ...]:
        return tuple(self.reached())


@dataclass(frozen=True, slots=True)
class Index:
    root: str
    today: dt.date
    entries: dict[str, Entry]  # by path, sorted by path
    types: tuple[TypeGroup, ...]
    tags: tuple[TagNode, ...]
    mocs: tuple[MocReach, ...]  # sorted by title
    moc_groups: tuple[MocGroup, ...]  # in the order of their first MOC in `mocs`
    unreached: tuple[str, ...]
    recent: tuple[str, ...]  # newest first


def _by_title(paths: Iterable[str], entries: dict[str, Entry]) -> tuple[str, ...]:
    return tuple(sorted(paths, key=lambda p: (entries[p].title.casefold(), p)))


def _type_groups(entries: dict[str, Entry]) -> tuple[TypeGroup, ...]:
    """Group by type case-insensitively, labelled with the most common spelling."""
    members: dict[str | None, list[str]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries.values():
        key = entry.type.casefold() if entry.type is not None else None
        members[key].append(entry.path)
        if entry.type is not None:
            spellings[entry.type.casefold()][entry.type] += 1
    groups = []
    for key, paths in members.items():
        label = None
        if key is not None:
            label = min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        groups.append(TypeGroup(label, _by_title(paths, entries)))
    groups.sort(key=lambda g: (g.type is None, (g.type or "").casefold(), g.type or ""))
    return tuple(groups)


def _moc_groups(
    vault: Vault, entries: dict[str, Entry]
) -> tuple[tuple[MocReach, ...], tuple[MocGroup, ...], tuple[str, ...]]:
    """Each MOC with what it reaches, the groups of MOCs that reach one another with
    what they reach (one sorted list a group), and the notes (not MOCs) that none
    reaches."""
    from kbtool.graph.stats import moc_reach_groups

    found: list[MocGroup] = []
    reached: set[str] = set()
    for group in moc_reach_groups(vault):
        own = _by_title((moc for moc in group.mocs if moc in entries), entries)
        if not own:  # the index note itself, alone
            continue
        listed = (p for p in group.reach if p in entries and (len(own) > 1 or p != own[0]))
        ordered = _by_title(listed, entries)
        reached.update(ordered)  # MOCs included: never listed as unreached anyway
        found.append(MocGroup(own, ordered))
    found.sort(key=lambda g: (entries[g.mocs[0]].title.casefold(), g.mocs[0]))
    reaches = {
        moc: MocReach(moc, number, group.reaches, group.count)
        for number, group in enumerate(found)
        for moc in group.mocs
    }
    unreached = (p for p in entries if p not in reached and p not in reaches)
    mocs = tuple(reaches[moc] for moc in _by_title(reaches, entries))
    return mocs, tuple(found), _by_title(unreached, entries)


def _cached_summary(vault: Vault, note: Note, summaries: SummaryCache | None) -> str:
    """The summary from the last run when the note's bytes are the same; else read now
    (and kept, unless the note could not be read as the vault parsed it)."""
    if summaries is None or not note.sha256:
        return summary_of(vault, note)
    found = summaries.get(note.sha256)
    if found is None:
        found = _read_summary(vault, note)
        if found is None:
            return ""
        summaries.put(note.sha256, found)
    return found


def summary_of(vault: Vault, note: Note) -> str:
    """The note's summary; "" when it cannot be read, or changed since it was loaded."""
    return _read_summary(vault, note) or ""


def _read_summary(vault: Vault, note: Note) -> str | None:
    if any(p.code == codes.UNREADABLE_FILE for p in note.problems):
        return None
    try:
        return note_summary(note, vault.lines(note.path))
    except (OSError, NoteChanged):
        return None


def build_index(
    vault: Vault,
    *,
    today: dt.date,
    recent: int = DEFAULT_RECENT,
    index_path: str | None = None,
    cache: bool = False,
) -> Index:
    """The index of `vault` as of `today`.

    `index_path` is the vault-relative path the index will be written to, when
    it goes into the vault: that note is left out of the index, and its name
    counts when choosing unambiguous link targets. With `cache`, summaries of notes
    whose bytes are unchanged come from the last run (`kbtool.index.summaries`)
    instead of reading the notes again.
    """
    summaries = SummaryCache(vault.root) if cache else None
    notes = {p: n for p, n in vault.notes.items() if p != index_path}
    namer = LinkNamer(notes, vault.attachments, [index_path] if index_path else [])
    entries: dict[str, Entry] = {}
    for path, note in notes.items():
        target = namer.target(path)
        instant, source = modified_at(note) or (None, None)
        entries[path] = Entry(
            path=path,
            title=note.title,
            type=note_type(note),
            summary=_cached_summary(vault, note, summaries),
            target=target,
            link=note_link(target, path, note.title),
            modified=instant,
            modified_source=source,
        )
    if summaries is not None:
        summaries.save()
    mocs, moc_groups, unreached = _moc_groups(vault, entries)
    return Index(
        root=str(vault.root),
        today=today,
        entries=entries,
        types=_type_groups(entries),
        tags=build_tag_tree(notes.values()),
        mocs=mocs,
        moc_groups=moc_groups,
        unreached=unreached,
        recent=tuple(most_recent(((e.path, e.modified) for e in entries.values()), recent)),
    )
