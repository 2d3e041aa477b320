"""Build Python values from libyaml's events: iteratively, within stated budgets, never raising.

PyYAML's composer and constructor recurse (a value nested 500 deep overflows
Python's stack), hand back aliases as shared objects that any later walk
expands in full (a 358-byte "billion laughs" frontmatter becomes 146 MB of
JSON; `a: &x [*x]` never ends), and raise on the first value they cannot
build (`2024-13-01`, `!!int abc`), losing the whole note. This reads
libyaml's event stream once with an explicit stack and builds what
`yaml.safe_load` builds for everything it accepts. Anything else becomes a
`Problem` at the value, which is then read as empty (None), and the rest of
the document is still built:

- an impossible date or time (`2024-13-01`, hour 25): KB102;
- a value a YAML constructor cannot build (`!!int abc`, bad `!!binary`),
  a tag the safe loader does not know (`!!python/object`), an integer of
  more than `MAX_INT_DIGITS` digits, a bad merge (`<<`) or unhashable key: KB002;
- an alias to no anchor or to the value that contains it (recursive): KB002;
- an alias that would make aliases repeat more than `ALIAS_BUDGET` values
  in one document in all: KB002;
- a list or mapping nested more than `MAX_DEPTH` levels deep: KB002.

A YAML syntax error still raises `yaml.MarkedYAMLError`: the text is not
YAML, and no value of it can be trusted.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from yaml import CSafeLoader
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from kbtool import codes
from kbtool.model import Problem, Span

#: Values that aliases may repeat in one document, counted in full (a list
#: of 3 strings repeated twice is 8 values). Beyond it an alias reads as empty.
ALIAS_BUDGET = 10_000
#: Levels of lists and mappings inside one another; deeper ones read as empty.
MAX_DEPTH = 100
#: Python's own limit for turning an integer into text (`sys.int_info`).
MAX_INT_DIGITS = 4300
_INT_LIMIT = 10**MAX_INT_DIGITS
_MAX_INT_TEXT = 4 * MAX_INT_DIGITS  # longer text is not even converted (sexagesimal is slow)

_PREFIX = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _INT = (_PREFIX + n for n in ("str", "seq", "map", "int"))
_TIMESTAMP, _MERGE, _VALUE = (_PREFIX + n for n in ("timestamp", "merge", "value"))
_SCALARS = {
    _PREFIX + name: getattr(CSafeLoader, f"construct_yaml_{name}")
    for name in ("null", "bool", "int", "float", "timestamp", "binary")
}
_EXPECTED = {
    _PREFIX + "bool": "true or false",
    _INT: "a whole number",
    _PREFIX + "float": "a number",
    _TIMESTAMP: "a date such as 2025-11-03",
    _PREFIX + "binary": "base64 data",
}
_SEQUENCE_TAGS = frozenset({_SEQ, _PREFIX + "omap", _PREFIX + "pairs"})
_MAPPING_TAGS = frozenset({_MAP, _PREFIX + "set"})
_OPEN = object()  # an anchor whose value is still being built
_FAILED = object()  # a scalar that could not be built (and is reported)
_DROP = object()  # a key that cannot be a key: the pair is left out

Kind = Literal["empty", "mapping", "sequence", "scalar"]
#: Where an event starts: yaml.error.Mark or the C extension's own Mark. Events and marks are
#: typed Any here: the stubs make every mark optional, and libyaml always sets them.
Mark = Any


class Written(NamedTuple):
    """A string scalar as written: its text, quoting style and where it starts."""

    value: str
    style: str | None
    line: int
    column: int


class Entry(NamedTuple):
    """One key of the top-level mapping: where it and its value are written.

    `items` are the positions of a list value's items, when the list is
    written there; `strings` the string scalars of the value or of its items
    that hold `[[`; `broken` is True when part of the key or value could not
    be built (it is already reported and read as empty).
    """

    key: str
    line: int
    column: int
    value_line: int
    value_column: int
    items: tuple[tuple[int, int], ...]
    strings: tuple[Written, ...]
    broken: bool


@dataclass
class Document:
    """A YAML document's value and what was found while building it."""

    value: Any = None
    kind: Kind = "empty"
    line: int = 0
    column: int = 0
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: libyaml events read: the builder's work, linear in the text
    events: int = 0
    #: values built, aliases counted in full: the most any walk of `value` visits
    size: int = 0
    #: a value nested more than MAX_DEPTH levels was left out (the text itself nests deeper)
    too_deep: bool = False


class _Frame:
    """A list or mapping being built."""

    __slots__ = (
        "anchor",
        "failures_before",
        "has_key",
        "is_map",
        "items",
        "key",
        "key_mark",
        "mark",
        "merge",
        "merges",
        "seen",
        "size",
        "tag",
    )

    def __init__(self, tag: str, anchor: str | None, mark: Mark, is_map: bool, failures: int):
        self.tag, self.anchor, self.mark, self.is_map = tag, anchor, mark, is_map
        self.items: list[Any] = []
        self.size = 1
        self.key: Any = None
        self.key_mark: Mark = mark
        self.has_key = False
        self.merge = False
        self.merges: list[Any] = []
        self.seen: dict[str, int] = {}
        self.failures_before = failures


def build(raw: str, first_line: int = 1) -> Document:
    """Build the single YAML document in `raw`; lines are numbered from `first_line`.

    Raises `yaml.MarkedYAMLError` only for text that is not YAML.
    """
    loader = CSafeLoader(raw)
    try:
        return _Builder(loader, first_line).run()
    finally:
        loader.dispose()


class _Builder:
    """One pass over one document's events, holding only the open lists and mappings."""

    def __init__(self, loader: CSafeLoader, first_line: int) -> None:
        self.loader = loader
        self.first_line = first_line
        self.doc = Document()
        self.stack: list[_Frame] = []
        self.anchors: dict[str, Any] = {}  # name -> (value, size) or _OPEN
        self.alias_spent = 0
        self.failures = 0  # values that could not be built
        self.skipping = 0  # depth inside a collection that is not built
        self.skip_mark: Mark | None = None
        # the top-level entry being read
        self.value_mark: Mark | None = None
        self.entry_list: _Frame | None = None
        self.items: list[tuple[int, int]] = []
        self.strings: list[Written] = []
        self.merged: list[Entry] = []  # top-level keys merged in with `<<`

    # -- the event loop ---------------------------------------------------------

    def run(self) -> Document:
        get: Callable[[], Any] = self.loader.get_event  # every event until the stream ends
        get()  # stream start
        event = get()
        if type(event) is StreamEndEvent:
            return self.doc
        document_mark = event.start_mark
        events = 2
        while True:
            event = get()
            events += 1
            kind = type(event)
            if self.skipping:
                self._skip(event, kind)
            elif kind is ScalarEvent:
                self._scalar(event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self._open(event, kind is MappingStartEvent)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                self._close()
            elif kind is AliasEvent:
                self._alias(event)
            elif kind is DocumentEndEvent or event is None:  # None: no events left at all
                break
        following = get()
        if type(following) is not StreamEndEvent:
            raise ComposerError(
                "expected a single document in the stream",
                document_mark,
                "but found another document",
                following.start_mark,
            )
        self.doc.events = events + 1
        return self.doc

    def _problem(self, code: str, message: str, mark: Mark) -> None:
        if code != codes.DUPLICATE_KEY:  # a repeated key is built all the same
            self.failures += 1
        line, column = mark.line + self.first_line, mark.column + 1
        self.doc.problems.append(Problem(code, message, Span(line, column, line, column)))

    def _where(self, event: Any) -> None:
        """Remember where the top-level entry's value, and its list items, are written."""
        depth = len(self.stack)
        mark: Mark = event.start_mark
        if depth == 1 and self.stack[0].is_map and self.stack[0].has_key:
            self.value_mark = mark
        elif depth == 2 and self.stack[1] is self.entry_list:
            self.items.append((mark.line + self.first_line, mark.column + 1))
        else:
            return
        if type(event) is ScalarEvent and "[[" in event.value:
            self.strings.append(
                Written(event.value, event.style, mark.line + self.first_line, mark.column + 1)
            )

    # -- scalars ----------------------------------------------------------------

    def _scalar(self, event: Any) -> None:
        self._where(event)
        tag = event.tag
        value = event.value
        if tag is None or tag == "!":
            tag = self.loader.resolve(ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _STR:
            built: Any = value
        elif tag == _MERGE and self.stack and self.stack[-1].is_map and not self.stack[-1].has_key:
            self.stack[-1].merge = True
            self.stack[-1].key_mark = event.start_mark
            return
        elif tag == _VALUE:
            built = value
        else:
            built = self._construct(tag, event)
            if built is _FAILED:  # reported; a key keeps its text, a value reads as empty
                frame = self.stack[-1] if self.stack else None
                expects_key = frame is not None and frame.is_map and not frame.has_key
                built = value if expects_key else None
        if event.anchor is not None:
            self.anchors[event.anchor] = (built, 1)
        self._deliver(built, 1, event.start_mark, value)

    def _construct(self, tag: str, event: Any) -> Any:
        """A non-string scalar, or `_FAILED` with a problem when it cannot be built."""
        value, mark = event.value, event.start_mark
        constructor = _SCALARS.get(tag)
        if constructor is None:
            self._unsupported(tag, mark, "a single value")
            return _FAILED
        if tag == _INT and len(value) > _MAX_INT_TEXT:
            self._too_large(value, mark)
            return _FAILED
        node = ScalarNode(tag, value, mark, event.end_mark, event.style)
        try:
            built = constructor(self.loader, node)
        except Exception as exc:  # any constructor failure is a finding, never a traceback
            self._unbuildable(tag, value, exc, mark)
            return _FAILED
        if type(built) is int and not -_INT_LIMIT < built < _INT_LIMIT:
            self._too_large(value, mark)
            return _FAILED
        return built

    def _unbuildable(self, tag: str, value: str, exc: Exception, mark: Mark) -> None:
        impossible = impossible_timestamp(value) if tag == _TIMESTAMP else None
        if impossible is not None:
            self._problem(codes.WRONG_TYPE, impossible, mark)
            return
        if tag == _INT and isinstance(exc, ValueError) and "limit" in str(exc):
            self._too_large(value, mark)
            return
        expected = _EXPECTED.get(tag, "buildable")
        self._problem(
            codes.INVALID_YAML,
            f"frontmatter value {_short_tag(tag)} {_quote(value)} is not {expected};"
            " kbtool reads it as empty",
            mark,
        )

    def _too_large(self, value: str, mark: Mark) -> None:
        self._problem(
            codes.INVALID_YAML,
            f"frontmatter value {_quote(value)} is an integer of more than"
            f" {MAX_INT_DIGITS:,} digits; kbtool reads it as empty",
            mark,
        )

    def _unsupported(self, tag: str, mark: Mark, what: str) -> None:
        self._problem(
            codes.INVALID_YAML,
            f"frontmatter value has the tag {_short_tag(tag)}, which kbtool does not build"
            f" for {what}; kbtool reads it as empty",
            mark,
        )

    # -- aliases ----------------------------------------------------------------

    def _alias(self, event: Any) -> None:
        self._where(event)
        name, mark = event.anchor, event.start_mark
        found = self.anchors.get(name)
        if found is None:
            self._problem(
                codes.INVALID_YAML, f"alias *{name} names no anchor; kbtool reads it as empty", mark
            )
            self._deliver(None, 1, mark)
        elif found is _OPEN:
            self._problem(
                codes.INVALID_YAML,
                f"alias *{name} repeats the value that contains it (a recursive alias);"
                " kbtool reads it as empty",
                mark,
            )
            self._deliver(None, 1, mark)
        else:
            value, size = found
            if self.alias_spent + size > ALIAS_BUDGET:
                if self.alias_spent <= ALIAS_BUDGET:  # the first alias over the budget
                    self._problem(
                        codes.INVALID_YAML,
                        f"alias *{name} would repeat {size:,} values: aliases may repeat at most"
                        f" {ALIAS_BUDGET:,} values in one frontmatter; kbtool reads it, and"
                        " every alias after it, as empty",
                        mark,
                    )
                self.alias_spent = ALIAS_BUDGET + 1
                self._deliver(None, 1, mark)
                return
            self.alias_spent += size
            self._deliver(value, size, mark)

    # -- lists and mappings -----------------------------------------------------

    def _open(self, event: Any, is_map: bool) -> None:
        self._where(event)
        mark = event.start_mark
        tag = event.tag
        if tag is None or tag == "!":
            tag = _MAP if is_map else _SEQ
        if not self.stack:
            self.doc.kind = "mapping" if is_map else "sequence"
            self.doc.line, self.doc.column = mark.line + self.first_line, mark.column + 1
        if len(self.stack) >= MAX_DEPTH:
            self.doc.too_deep = True
            self._problem(
                codes.INVALID_YAML,
                f"frontmatter value nested more than {MAX_DEPTH} levels deep;"
                " kbtool reads it as empty",
                mark,
            )
            self._start_skip(mark)
            return
        if tag not in (_MAPPING_TAGS if is_map else _SEQUENCE_TAGS):
            self._unsupported(tag, mark, "a mapping" if is_map else "a list")
            self._start_skip(mark)
            return
        frame = _Frame(tag, event.anchor, mark, is_map, self.failures)
        if event.anchor is not None:
            self.anchors[event.anchor] = _OPEN
        if len(self.stack) == 1 and self.stack[0].is_map and not is_map and self.stack[0].has_key:
            self.entry_list = frame
        self.stack.append(frame)

    def _start_skip(self, mark: Mark) -> None:
        self.skipping = 1
        self.skip_mark = mark

    def _skip(self, event: Any, kind: type) -> None:
        """Read past a collection that is not built; deliver it as empty when it ends."""
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            self.skipping += 1
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            self.skipping -= 1
            if not self.skipping:
                assert self.skip_mark is not None
                self._deliver(None, 1, self.skip_mark)

    def _close(self) -> None:
        frame = self.stack.pop()
        value = self._finish(frame)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (value, frame.size)
        if frame is self.entry_list:
            self.entry_list = None
        if not self.stack and frame.is_map:  # own keys come after (and win over) merged ones
            self.doc.entries[:0] = self.merged
        self._deliver(value, frame.size, frame.mark)

    def _finish(self, frame: _Frame) -> Any:
        if not frame.is_map:
            if frame.tag == _SEQ:
                return frame.items
            pairs = [next(iter(item.items())) for item in frame.items if isinstance(item, dict)]
            if len(pairs) != len(frame.items) or any(len(i) != 1 for i in frame.items):
                self._problem(
                    codes.INVALID_YAML,
                    f"frontmatter value {_short_tag(frame.tag)} needs a list of one-key"
                    " mappings; kbtool reads it as empty",
                    frame.mark,
                )
                return None
            return pairs
        result: dict[Any, Any] = {}
        for merged in frame.merges:
            if isinstance(merged, dict):
                result.update(merged)
            else:
                for mapping in reversed(merged):
                    result.update(mapping)
        for key, value in frame.items:
            result[key] = value
        return set(result) if frame.tag != _MAP else result

    def _deliver(self, value: Any, size: int, mark: Mark, text: str | None = None) -> None:
        """Hand a finished value to the collection it belongs to (or make it the document)."""
        if not self.stack:
            self.doc.value, self.doc.size = value, size
            if self.doc.kind == "empty":
                self.doc.kind = "scalar"
                self.doc.line, self.doc.column = mark.line + self.first_line, mark.column + 1
            return
        frame = self.stack[-1]
        frame.size += size
        if not frame.is_map:
            frame.items.append(value)
        elif frame.merge:
            self._merge(frame, value, mark)
        elif not frame.has_key:
            self._key(frame, value, mark, text)
        else:
            frame.has_key = False
            if frame.key is not _DROP:
                frame.items.append((frame.key, value))
            if len(self.stack) == 1:
                if frame.key is _DROP:
                    self._reset_entry()
                else:
                    self._entry(frame, value)
            frame.failures_before = self.failures

    def _key(self, frame: _Frame, key: Any, mark: Mark, text: str | None) -> None:
        frame.has_key, frame.key_mark = True, mark
        try:
            hash(key)
        except TypeError:
            self._problem(
                codes.INVALID_YAML,
                "frontmatter key is a list or mapping (found unhashable key), which cannot"
                " name a property; the pair is left out",
                mark,
            )
            key = _DROP
        frame.key = key
        if text is None:
            return
        first = frame.seen.get(text)
        if first is not None:
            self._problem(
                codes.DUPLICATE_KEY,
                f"key '{text}' appears again (first on line {first});"
                " YAML keeps only the last value",
                mark,
            )
        else:
            frame.seen[text] = mark.line + self.first_line

    def _merge(self, frame: _Frame, value: Any, mark: Mark) -> None:
        frame.merge = False
        mappings = value if isinstance(value, list) else [value]
        if value is not None and all(isinstance(m, dict) for m in mappings):
            frame.merges.append(value)
            if len(self.stack) == 1:
                for key in dict.fromkeys(k for m in mappings for k in m):
                    self._merged_entry(frame, key, mark)
            frame.failures_before = self.failures
            return
        if value is not None:
            kind = "a list" if isinstance(value, list) else "a single value"
            self._problem(
                codes.INVALID_YAML,
                f"a merge key (<<) takes a mapping or a list of mappings, not {kind};"
                " it is left out",
                mark,
            )
        self._reset_entry()
        frame.failures_before = self.failures

    # -- the top-level entries --------------------------------------------------

    def _entry(self, frame: _Frame, value: Any) -> None:
        key_mark = frame.key_mark
        value_mark = self.value_mark or key_mark
        self.doc.entries.append(
            Entry(
                str(frame.key),
                key_mark.line + self.first_line,
                key_mark.column + 1,
                value_mark.line + self.first_line,
                value_mark.column + 1,
                tuple(self.items) if isinstance(value, list) else (),
                tuple(self.strings),
                self.failures > frame.failures_before,
            )
        )
        self._reset_entry()

    def _merged_entry(self, frame: _Frame, key: Any, mark: Mark) -> None:
        """A key merged in with `<<` is placed where the merge key is written."""
        key_mark = frame.key_mark
        self.merged.append(
            Entry(
                str(key),
                key_mark.line + self.first_line,
                key_mark.column + 1,
                mark.line + self.first_line,
                mark.column + 1,
                (),
                (),
                self.failures > frame.failures_before,
            )
        )

    def _reset_entry(self) -> None:
        self.value_mark = None
        self.items = []
        self.strings = []


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_PREFIX) :] if tag.startswith(_PREFIX) else tag


def _quote(value: str, limit: int = 40) -> str:
    text = value if len(value) <= limit else value[: limit - 3] + "..."
    return repr(text)


_WHAT = {False: "a date", True: "a date and time"}


def impossible_timestamp(text: str) -> str | None:
    """Why a YAML timestamp such as `2024-13-01` names no real date or time; None if it does."""
    match = CSafeLoader.timestamp_regexp.match(text)
    if match is None:
        return None
    parts = match.groupdict()
    year, month, day = int(parts["year"]), int(parts["month"]), int(parts["day"])
    timed = bool(parts["hour"])
    if year < dt.MINYEAR:
        reason = f"year {year}"
    elif not 1 <= month <= 12:
        reason = f"month {month}"
    elif not 1 <= day <= calendar.monthrange(year, month)[1]:
        days = calendar.monthrange(year, month)[1]
        reason = f"day {day} ({calendar.month_name[month]} {year} has {days} days)"
    elif timed and int(parts["hour"]) > 23:
        reason = f"hour {int(parts['hour'])}"
    elif timed and int(parts["minute"]) > 59:
        reason = f"minute {int(parts['minute'])}"
    elif timed and int(parts["second"]) > 59:
        reason = f"second {int(parts['second'])}"
    elif parts["tz_sign"] and int(parts["tz_hour"]) * 60 + int(parts["tz_minute"] or 0) >= 24 * 60:
        reason = f"time zone offset {parts['tz_sign']}{parts['tz_hour']}"
    else:
        return None
    return f"{text.strip()} is not {_WHAT[timed]}: {reason}"
