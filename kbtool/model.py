"""The plain-data note model that every stage of the pipeline reads.

Everything here is immutable plain data: named tuples for what a note holds
many of (links, spans, headings, tags: a named tuple is built four times
faster than a frozen dataclass, and a vault has millions), frozen
dataclasses for the note itself and for diagnostics. Nothing here does I/O.
Lines and columns are 1-based, counted in code points, in the file as it is
on disk (frontmatter lines included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

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
    """

    kind: LinkKind
    syntax: LinkSyntax
    raw: str
    path: str
    subpath: str
    display: str | None
    span: Span
    property_key: str | None = None

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column


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


class Problem(NamedTuple):
    """A diagnostic found while parsing one file (KB001 to KB006; KB102: an impossible date)."""

    code: str
    message: str
    span: Span


@dataclass(frozen=True, slots=True)
class Frontmatter:
    """The YAML block at the top of a note.

    `data` is None when there is no frontmatter or it could not be read as a
    mapping; `positions` maps each top-level key to where it is written.
    `end_line` is the line of the closing `---` (0 when absent).
    """

    present: bool = False
    data: dict[str, Any] | None = None
    positions: dict[str, PropertyPos] = field(default_factory=dict)
    start_line: int = 0
    end_line: int = 0
    raw: str = ""
    #: (line, column) of each item of a list value, by key
    items: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    #: keys whose value (or part of it) could not be built: reported, and read as empty
    broken: frozenset[str] = frozenset()


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


@dataclass(frozen=True, slots=True)
class ReplaceText:
    """A fix that replaces `old` at a line's columns by `new` (a link rewritten)."""

    description: str
    line: int
    column: int
    end_column: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class SetProperty:
    """A fix that sets frontmatter property `key` to `value` (one line of YAML), which
    reads back as `replacement`."""

    description: str
    key: str
    value: str
    replacement: Any


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
