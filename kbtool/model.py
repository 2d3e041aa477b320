"""The plain-data note model that every stage of the pipeline reads.

Everything here is immutable plain data: named tuples for what a note holds
many of (links, spans, headings, tags: a named tuple is built four times
faster than a frozen dataclass, and a vault has millions), frozen
dataclasses for the note itself and for diagnostics. Nothing here does I/O.
Lines and columns are 1-based, counted in code points, in the file as it is
on disk (frontmatter lines included).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from itertools import chain, repeat
from operator import attrgetter
from sys import intern
from typing import Any, Literal, NamedTuple, TypeVar

from kbtool.base.paths import without_md

LinkKind = Literal["link", "embed", "property"]
LinkSyntax = Literal["wiki", "markdown", "property"]
Severity = Literal["error", "warning", "info"]


class Span(NamedTuple):
    """Where something sits in a file: start inclusive, end exclusive (columns)."""

    line: int
    column: int
    end_line: int
    end_column: int


class Link(NamedTuple):
    """One link occurrence: a wiki-link, an embed, a Markdown link or a property link.

    `path` is the target as written, percent-decoded for Markdown links, with
    whitespace trimmed and without the subpath; empty for a same-note link.
    `subpath` keeps its leading `#` (`#Heading#Sub`, `#^blockid`, `#page=3`).
    Where it sits is four fields of its own, not a `Span`: a vault holds many links,
    and a tuple inside each costs 72 bytes more (`span` makes one on demand).
    """

    kind: LinkKind
    syntax: LinkSyntax
    raw: str
    path: str
    subpath: str
    display: str | None
    line: int
    column: int
    end_line: int
    end_column: int
    property_key: str | None = None

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.end_line, self.end_column)


class Heading(NamedTuple):
    """An ATX or setext heading; `parents` are the texts of the enclosing headings."""

    level: int
    text: str
    line: int
    column: int
    parents: tuple[str, ...] = ()


class BlockId(NamedTuple):
    id: str
    line: int
    column: int


class Tag(NamedTuple):
    """A body tag, without its `#`."""

    name: str
    line: int
    column: int


class Suppression(NamedTuple):
    """An inline `kbtool-disable` comment.

    `target_line` is the line it silences (`next-line` form) or 0 for the whole
    file (`%% kbtool-disable KB201 %%` on a line of its own, or `kbtool-disable-file`).
    An empty `codes` tuple silences every code.
    """

    codes: tuple[str, ...]
    line: int
    column: int
    target_line: int


class PropertyPos(NamedTuple):
    """Where a frontmatter key and its value start."""

    line: int
    column: int
    value_line: int
    value_column: int


class KeyPositions(Mapping[str, PropertyPos]):
    """Each top-level frontmatter key's `PropertyPos`, in the order written, held as
    one tuple of keys and one array of four numbers a key: a note has some twenty
    keys, and a dict of named tuples costs about 2 KB of it, this about 0.5 KB. A
    `PropertyPos` is made when asked for; equal to any mapping of the same items."""

    __slots__ = ("_at", "_keys")

    def __init__(self, keys: tuple[str, ...] = (), at: bytes | array[int] = b"") -> None:
        self._keys = keys
        self._at = at if isinstance(at, array) else array("I", at)
        if len(self._at) != 4 * len(keys):
            raise ValueError("four numbers a key")

    @classmethod
    def of(cls, positions: Mapping[str, tuple[int, int, int, int]]) -> KeyPositions:
        """From a mapping of keys to (line, column, value line, value column)."""
        return cls(tuple(positions), array("I", chain.from_iterable(positions.values())))

    def __getitem__(self, key: str) -> PropertyPos:
        try:
            at = 4 * self._keys.index(key)
        except ValueError:
            raise KeyError(key) from None
        return PropertyPos(*self._at[at : at + 4])

    def get(self, key: str, default: Any = None) -> Any:
        """The key's position, or `default` (without raising and catching a KeyError)."""
        return self[key] if key in self._keys else default

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"KeyPositions({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return KeyPositions, (self._keys, self._at.tobytes())


class Problem(NamedTuple):
    """A diagnostic found while parsing one file (KB001 to KB006; KB102: an impossible date)."""

    code: str
    message: str
    span: Span


#: The empty `Frontmatter.broken` that notes share (each `frozenset()` is an object).
NO_KEYS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Frontmatter:
    """The YAML block at the top of a note.

    `data` is None when there is no frontmatter or it could not be read as a
    mapping; `positions` maps each top-level key to where it is written.
    `end_line` is the line of the closing `---` (0 when absent).
    """

    present: bool = False
    data: dict[str, Any] | None = None
    positions: KeyPositions = field(default_factory=KeyPositions)
    start_line: int = 0
    end_line: int = 0
    #: line and column of each item of a list value, by key, flat: (line 1, column 1,
    #: line 2, ...), one tuple a key rather than a tuple an item (see `item_at`)
    items: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: keys whose value (or part of it) could not be built: reported, and read as empty
    broken: frozenset[str] = NO_KEYS

    def item_at(self, key: str, index: int) -> tuple[int, int] | None:
        """(line, column) of item `index` of the list under `key`, if written there."""
        places = self.items.get(key, ())
        at = 2 * index
        return (places[at], places[at + 1]) if 0 <= at < len(places) else None

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_fields(self)


@dataclass(frozen=True, slots=True)
class Note:
    """A parsed Markdown note: metadata plus what the scanner found in the body."""

    path: str  # vault-relative, '/'-separated, NFC
    size: int
    mtime_ns: int | None  # None when the file could not be read: it has no known time
    sha256: str
    frontmatter: Frontmatter
    body_line: int  # first line of the body (after the frontmatter)
    headings: tuple[Heading, ...] = ()
    block_ids: tuple[BlockId, ...] = ()
    tags: tuple[Tag, ...] = ()
    links: tuple[Link, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def name(self) -> str:
        """The file name without `.md`: what Obsidian shows as the note's name."""
        base = self.path.rsplit("/", 1)[-1]
        return without_md(base)

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @property
    def meta(self) -> dict[str, Any]:
        """The frontmatter mapping, or an empty one."""
        return self.frontmatter.data or {}

    @property
    def title(self) -> str:
        """The `title` property when it is a non-empty string, else the file name."""
        value = self.meta.get("title")
        return value if isinstance(value, str) and value.strip() else self.name

    def key_line(self, key: str) -> int:
        pos = self.frontmatter.positions.get(key)
        return pos.line if pos else max(self.frontmatter.start_line, 1)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as columns of plain values (see `_note_columns`)."""
        return _note_reduce(self)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, as every output format reports it."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_fields(self)


@dataclass(frozen=True, slots=True)
class ReplaceText:
    """A fix that replaces `old` at a line's columns by `new` (a link rewritten)."""

    description: str
    line: int
    column: int
    end_column: int
    old: str
    new: str

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_fields(self)


@dataclass(frozen=True, slots=True)
class SetProperty:
    """A fix that sets frontmatter property `key` to `value` (one line of YAML), which
    reads back as `replacement`."""

    description: str
    key: str
    value: str
    replacement: Any

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_fields(self)


#: What `check --fix` can apply; JSON output carries its fields as an object.
Fix = ReplaceText | SetProperty


@dataclass(frozen=True, slots=True)
class Finding:
    """What a parser, the resolver, the schema pass or a rule found; the check layer adds
    the code's name and severity. It lives here, below them all, so that each produces it
    without importing the layer that reports it."""

    path: str
    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    fix: Fix | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_fields(self)

    @classmethod
    def at_key(
        cls,
        note: Note,
        key: str,
        message: str,
        *,
        value: bool = False,
        fix: Fix | None = None,
    ) -> Finding:
        """A finding at a frontmatter key (or its value); line 1 when the key is absent."""
        pos = note.frontmatter.positions.get(key)
        if pos is None:
            return cls(note.path, 1, 1, message, fix=fix)
        if value:
            return cls(note.path, pos.value_line, pos.value_column, message, fix=fix)
        return cls(note.path, pos.line, pos.column, message, fix=fix)


# Pickling. A frozen dataclass with slots pickles by default through
# `dataclasses._dataclass_setstate` (a Python loop of `object.__setattr__`) and a named
# tuple through its Python `__new__`: unpickling 10,000 notes cost about 0.8 s that
# way, most of a warm load. So the dataclasses pickle as a call
# of the class with their fields in order, and a note as columns of plain values (one
# tuple per field of its links, headings, ...), rebuilt by C-level `tuple.__new__`
# calls over `zip`: equal objects of the same types, decoded in about 0.7 of the time
# (the floor is building the named tuples themselves, about 55 a note).

#: A named tuple made in C from a tuple of all its fields, defaults too (`new_tuple(Link,
#: (...))`): the class's own `__new__` is a Python call, and parsing a note makes some
#: forty of them, unpickling one some fifty-five.
new_tuple = tuple.__new__
_FIELD_GETTERS: dict[type, Any] = {}


def _by_fields(obj: Any) -> tuple[Any, ...]:
    """`__reduce__` of a dataclass whose fields are all positional `__init__` arguments."""
    cls = type(obj)
    getter = _FIELD_GETTERS.get(cls)
    if getter is None:
        names = [f.name for f in fields(obj)]
        many = attrgetter(*names)
        getter = many if len(names) > 1 else lambda o: (many(o),)
        _FIELD_GETTERS[cls] = getter
    return cls, getter(obj)


_Part = TypeVar("_Part", bound=tuple[Any, ...])


def _of_only(parts: Any, cls: type) -> bool:
    return type(parts) is tuple and set(map(type, parts)) <= {cls}


def _columns_shape(note: Note) -> bool:
    """Whether the note has exactly the declared types, so that columns rebuild it equal;
    anything else (a subclass, a list for a tuple) pickles field by field."""
    fm = note.frontmatter
    return (
        type(note) is Note
        and type(fm) is Frontmatter
        and type(fm.positions) is KeyPositions
        and _of_only(note.headings, Heading)
        and _of_only(note.block_ids, BlockId)
        and _of_only(note.tags, Tag)
        and _of_only(note.links, Link)
        and _of_only(note.suppressions, Suppression)
        and _of_only(note.problems, Problem)
        and set(map(type, map(attrgetter("span"), note.problems))) <= {Span}
    )


def _note_reduce(note: Note) -> tuple[Any, ...]:
    if not _columns_shape(note):
        return _by_fields(note)
    fm = note.frontmatter
    links: tuple[Any, ...] = tuple(zip(*note.links, strict=True))
    problems: tuple[Any, ...] = tuple(zip(*note.problems, strict=True))
    if problems:
        problems = (*problems[:2], *zip(*problems[2], strict=True))
    state = (
        note.path,
        note.size,
        note.mtime_ns,
        note.sha256,
        note.body_line,
        fm.present,
        fm.data,
        fm.positions._keys,
        fm.positions._at.tobytes(),
        fm.start_line,
        fm.end_line,
        fm.items,
        fm.broken,
        tuple(zip(*note.headings, strict=True)),
        tuple(zip(*note.block_ids, strict=True)),
        tuple(zip(*note.tags, strict=True)),
        links,
        tuple(zip(*note.suppressions, strict=True)),
        problems,
    )
    return _note_from_columns, state


def _rows(cls: type[_Part], columns: tuple[tuple[Any, ...], ...]) -> tuple[_Part, ...]:
    return tuple(map(new_tuple, repeat(cls), zip(*columns, strict=True)))


def _spans(columns: tuple[tuple[int, ...], ...]) -> Any:
    return map(new_tuple, repeat(Span), zip(*columns, strict=True))


def _note_from_columns(
    path: str,
    size: int,
    mtime_ns: int | None,
    sha256: str,
    body_line: int,
    present: bool,
    data: dict[str, Any] | None,
    keys: tuple[str, ...],
    positions: bytes,
    start_line: int,
    end_line: int,
    items: dict[str, tuple[int, ...]],
    broken: frozenset[str],
    headings: tuple[tuple[Any, ...], ...],
    block_ids: tuple[tuple[Any, ...], ...],
    tags: tuple[tuple[Any, ...], ...],
    links: tuple[tuple[Any, ...], ...],
    suppressions: tuple[tuple[Any, ...], ...],
    problems: tuple[tuple[Any, ...], ...],
) -> Note:
    """The note that `_note_reduce` pickled (pickle calls it by name: keep it).

    The strings that repeat across notes (keys, link targets, headings, tags) are
    interned again, as the parser interns them: a pickle shares a string only within
    itself, and notes from the cache or from the worker would each hold their own."""
    keys = tuple(map(intern, keys))
    if data and set(map(type, data)) <= {str}:
        data = dict(zip(map(intern, data), data.values(), strict=True))
    if links:
        kind, syntax, raw, target, subpath, *rest = links
        kind, syntax = tuple(map(intern, kind)), tuple(map(intern, syntax))
        raw, target, subpath = (
            tuple(map(intern, raw)),
            tuple(map(intern, target)),
            tuple(map(intern, subpath)),
        )
        links = (kind, syntax, raw, target, subpath, *rest)
    if headings:
        level, text, *rest = headings
        headings = (level, tuple(map(intern, text)), *rest)
    if tags:
        name, *rest = tags
        tags = (tuple(map(intern, name)), *rest)
    at = KeyPositions(keys, positions)
    fm = Frontmatter(present, data, at, start_line, end_line, items, broken or NO_KEYS)
    problem_rows: tuple[Problem, ...] = ()
    if problems:
        code, message, *span = problems
        problem_rows = tuple(
            map(new_tuple, repeat(Problem), zip(code, message, _spans(tuple(span)), strict=True))
        )
    return Note(
        path,
        size,
        mtime_ns,
        sha256,
        fm,
        body_line,
        _rows(Heading, headings),
        _rows(BlockId, block_ids),
        _rows(Tag, tags),
        _rows(Link, links),
        _rows(Suppression, suppressions),
        problem_rows,
    )
