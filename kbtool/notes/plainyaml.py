"""Read plain frontmatter in one pass over its lines, or decline so that libyaml reads it.

Nearly every note's frontmatter is a block mapping of `key: scalar`,
`key: [flow, list, of, scalars]` and `key:` over `- scalar` lines, with
comments, blank lines and quoted strings. Composing libyaml's events and
building values from them (`kbtool.notes.yamlvalues`) was the largest part of a
cold `check`; this reads that subset with string methods and gives the same
`Document`: values resolved by the safe loader's own YAML 1.1 resolvers and
built by its own constructors, the same key, value and item positions, the
same duplicate-key findings, the same event and value counts.

Anything outside the subset, or doubtful, gives None and the caller reads the
text with libyaml: anchors, aliases, tags, block scalars, multi-line scalars,
nested or flow mappings, nested lists, escapes other than the simple ones,
tabs, line breaks other than `\\n`, keys that are not strings, and every value
a constructor refuses (an impossible date, so that its finding comes from one
place). Declining is always safe; a value that differs would be a bug.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, NamedTuple

from yaml import CSafeLoader
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from kbtool import codes
from kbtool.model import Problem, Span, new_tuple
from kbtool.notes.yamlvalues import Document, Entry, Written

#: An integer written longer than this is left to libyaml's path (its size limits).
MAX_INT_TEXT = 1000
#: libyaml refuses an implicit key longer than 1024 characters; stay well inside.
MAX_KEY_LENGTH = 1000
#: Entries of each memo table (keys, plain scalars) before it is emptied: notes
#: repeat their keys and many of their values, and a vault's memo stays small.
MEMO_SIZE = 4096
#: Plain scalars longer than this are not remembered.
MEMO_TEXT = 100

_PREFIX = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL = (_PREFIX + n for n in ("str", "null", "bool"))
_INT = _PREFIX + "int"
_TIMESTAMP = _PREFIX + "timestamp"
#: The timestamp notes carry most (`created: 2025-10-26T17:19:00Z`, as Obsidian and its
#: templates write it), built here as the constructor builds it (no fraction, UTC)
#: without its node and its regex's named groups; every other form goes to it.
_UTC_STAMP = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")
#: Tags built by the safe loader's constructors; any other resolved tag declines.
_BUILDERS = {
    _PREFIX + name: getattr(SafeConstructor, f"construct_yaml_{name}")
    for name in ("int", "float", "timestamp")
}
_CONSTRUCTOR = SafeConstructor()
_BOOL_VALUES: dict[str, bool] = SafeConstructor.bool_values
#: The loader's implicit resolvers by first character, the wildcard ones after them,
#: in the loader's order: what `Resolver.resolve` tries for a plain scalar.
_WILDCARD: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    CSafeLoader.yaml_implicit_resolvers.get(None, ())
)
_RESOLVERS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers) + _WILDCARD
    for first, resolvers in CSafeLoader.yaml_implicit_resolvers.items()
    if first is not None
}

#: Any character that is not plain text: tabs, `\\r`, NEL, the Unicode line and
#: paragraph separators, byte-order marks, control characters (YAML refuses
#: those) and lone surrogates.
_DOUBTFUL = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
#: What precedes a top-level key's `:`: a plain scalar at column 0 that no indicator
#: starts, without `#`, `:` or flow indicators in it, and spaces.
_KEY = re.compile(r"([^ #:,\[\]{}&*!|>'\"%@`?.\-][^#:,\[\]{}]*?) *")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
#: The escapes of a double-quoted scalar read here; `\\x`, `\\u`, `\\U`, `\\N`,
#: `\\_`, `\\L`, `\\P` and line continuations are left to libyaml.
_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
}
#: A plain scalar in a flow list: up to the next separator; any character that
#: could make it something else (`#`, `:`, quotes, brackets) declines, and `?`,
#: which ends the scalar for PyYAML's scanner but not for libyaml's.
_FLOW_PLAIN = re.compile(r"[^,\[\]{}#:?'\"]*")
#: Characters that cannot start a plain scalar (or start one only in ways not read here).
_NOT_PLAIN = frozenset("[]{},#&*!|>'\"%@`?:")

_DECLINE: Any = object()  # a value this module does not build: libyaml's path reads the text
_EMPTY: Any = object()  # nothing written after `key:` or `-`
_END = "\0"  # after the last line (`_DOUBTFUL` keeps NUL out of the text)
_KEYS: dict[str, str] = {}  # what precedes `:` -> the key, or "" when it is no plain key
_PLAIN: dict[str, Any] = {}  # a plain scalar -> its value, or _DECLINE
_PENDING: Any = object()  # `key:` and nothing more on its line
_NO_ITEMS: Any = object()  # `key: []`
_LINES: dict[str, tuple[str, Any, int]] = {}  # a whole `key: ...` line -> what it reads as


class _FlowList(NamedTuple):
    values: list[Any]
    places: list[tuple[int, int]]
    strings: list[Written]


def read_plain(raw: str, first_line: int = 1) -> Document | None:
    """The document in `raw`, as `yamlvalues.build` gives it, if `raw` is plain; else None.

    Lines are numbered from `first_line`, as in `build`.
    """
    if _DOUBTFUL.search(raw) is not None:
        return None
    doc = Document()
    data: dict[str, Any] = {}
    entries = doc.entries
    seen: dict[str, int] = {}  # key -> line of its first occurrence
    size, events = 1, 6
    # the `key:` with nothing after it (key, line, column after `:`), and its block list
    pending: tuple[str, int, int] | None = None
    items: list[Any] | None = None
    places: list[tuple[int, int]] = []
    strings: list[Written] = []
    indent = list_line = 0
    lines = raw.split("\n")
    lines.append(_END)
    line = first_line - 1
    for text in lines:
        line += 1
        if not text:
            continue
        first = text[0]
        if first == "#":
            continue
        if first == " " or first == "-":
            body = text.lstrip(" ")
            if not body or body[0] == "#":
                continue
            if pending is None or body[0] != "-":
                return None
            dash = len(text) - len(body)
            if items is None:
                items, places, strings, indent, list_line = [], [], [], dash, line
            elif dash != indent:
                return None
            item = _item(text, dash + 1)
            if item is None:
                return None
            if item is _EMPTY:
                items.append(None)
                places.append((line, dash + 2))
                continue
            value, written, style, column = item
            items.append(value)
            places.append((line, column))
            if "[[" in written:
                strings.append(Written(written, style, line, column))
            continue
        if pending is not None:  # its value ends here: null, or the block list read
            key, at, column = pending
            if items is None:
                data[key] = None
                size, events = size + 2, events + 2
                entries.append(new_tuple(Entry, (key, at, 1, at, column, (), (), False)))
            else:
                data[key] = items
                size, events = size + 2 + len(items), events + 3 + len(items)
                entries.append(
                    new_tuple(
                        Entry,
                        (key, at, 1, list_line, indent + 1, tuple(places), tuple(strings), False),
                    )
                )
                items = None
            pending = None
        if text is _END:
            break
        known = _LINES.get(text)
        if known is None:
            colon = text.find(":")
            if colon < 0 or colon > MAX_KEY_LENGTH:
                return None
            after = colon + 1
            if after < len(text) and text[after] != " ":
                return None
            key = _KEYS.get(text[:colon]) or _key(text[:colon])
            if not key:
                return None
        else:
            key, value, column = known
        if doc.kind == "empty":
            doc.kind, doc.line, doc.column = "mapping", line, 1
        first_seen = seen.get(key)
        if first_seen is None:
            seen[key] = line
        else:
            message = (
                f"key '{key}' appears again (first on line {first_seen});"
                " YAML keeps only the last value"
            )
            doc.problems.append(Problem(codes.DUPLICATE_KEY, message, Span(line, 1, line, 1)))
        if known is not None:  # a line read before, in this note or another
            if value is _PENDING:
                pending = (key, line, column)
                continue
            if value is _NO_ITEMS:
                data[key] = []
                size, events = size + 2, events + 3
            else:
                data[key] = value
                size, events = size + 2, events + 2
            entries.append(new_tuple(Entry, (key, line, 1, line, column, (), (), False)))
            continue
        rest = text[after:].lstrip(" ")
        if not rest or rest[0] == "#":
            pending = (key, line, after + 1)
            _remember_line(text, (key, _PENDING, after + 1))
            continue
        column = len(text) - len(rest) + 1
        if rest[0] == "[":
            flow = _flow_list(text, column - 1, line)
            if flow is None:
                return None
            data[key] = flow.values
            size, events = size + 2 + len(flow.values), events + 3 + len(flow.values)
            entries.append(
                new_tuple(
                    Entry,
                    (key, line, 1, line, column, tuple(flow.places), tuple(flow.strings), False),
                )
            )
            if not flow.values:
                _remember_line(text, (key, _NO_ITEMS, column))
            continue
        scalar = _scalar(rest)
        if scalar is None:
            return None
        value, written, style = scalar
        data[key] = value
        size, events = size + 2, events + 2
        if "[[" in written:
            found: tuple[Written, ...] = (Written(written, style, line, column),)
        else:
            found = ()
            _remember_line(text, (key, value, column))
        entries.append(new_tuple(Entry, (key, line, 1, line, column, (), found, False)))
    if doc.kind == "mapping":
        doc.value, doc.size, doc.events = data, size, events
    return doc


def _remember_line(text: str, read: tuple[str, Any, int]) -> None:
    """Keep what a `key: value` line reads as (key, value, value column), when it is short.

    Notes repeat whole lines (`status: active`, `aliases: []`, `updated:`): a line read
    before is then one look-up. Kept only when reading it needs nothing of its place:
    a scalar without `[[` (immutable, so notes may share it), `key: []` (`_NO_ITEMS`: a
    new list each time) or a `key:` whose value, if any, follows (`_PENDING`).
    """
    if len(text) <= MEMO_TEXT:
        _keep(_LINES, text, read)


def _key(written: str) -> str:
    """The key that `written` (what precedes `:`) names, or "" if it is no plain text key."""
    match = _KEY.fullmatch(written)
    key = match.group(1) if match else ""
    if key and _plain_value(key) is not key:  # a key that reads as a bool, a number, null ...
        key = ""
    _keep(_KEYS, written, key)
    return key


def _item(text: str, start: int) -> Any:
    """The scalar of a `- ` line from `text[start]` on, after the dash: (value, text,
    style, column), `_EMPTY`, or None to decline."""
    if start < len(text) and text[start] != " ":
        return None  # `-x` is a scalar, not an item
    rest = text[start:].lstrip(" ")
    if not rest or rest[0] == "#":
        return _EMPTY
    if rest[0] == "[":
        return None  # a list in a list
    scalar = _scalar(rest)
    if scalar is None:
        return None
    return (*scalar, len(text) - len(rest) + 1)


def _scalar(rest: str) -> tuple[Any, str, str] | None:
    """The one-line scalar that `rest` starts with (a non-space, not `#` nor `[`), then
    spaces or a comment: (value, text as libyaml's event gives it, style), or None."""
    first = rest[0]
    if first == "'" or first == '"':
        quoted = _quoted(rest, 0)
        if quoted is None or not _only_comment(rest, len(quoted[1])):
            return None
        return quoted[0], quoted[0], first
    comment = rest.find(" #")
    content = (rest if comment < 0 else rest[:comment]).rstrip(" ")
    if first in _NOT_PLAIN or (first == "-" and (len(content) == 1 or content[1] == " ")):
        return None
    if ": " in content or content[-1] == ":":
        return None  # a mapping inside a value, which YAML refuses or nests
    value = _PLAIN.get(content, _EMPTY)
    if value is _EMPTY:
        value = _remember(content)
    if value is _DECLINE:
        return None
    return value, content, ""


def _quoted(text: str, pos: int) -> tuple[str, str] | None:
    """(value, text as written with its quotes) of the quoted scalar at `pos`, or None."""
    if text[pos] == "'":
        match = _SINGLE.match(text, pos)
        if match is None:
            return None
        return match.group(1).replace("''", "'"), match.group()
    match = _DOUBLE.match(text, pos)
    if match is None:
        return None
    inner = match.group(1)
    if "\\" not in inner:
        return inner, match.group()
    parts: list[str] = []
    at = 0
    for escape in _ESCAPE.finditer(inner):
        replacement = _ESCAPES.get(escape.group(1))
        if replacement is None:
            return None
        parts += (inner[at : escape.start()], replacement)
        at = escape.end()
    parts.append(inner[at:])
    return "".join(parts), match.group()


def _only_comment(text: str, pos: int) -> bool:
    """Whether nothing but spaces, or spaces and a comment, follows `pos`."""
    rest = text[pos:]
    tail = rest.lstrip(" ")
    return not tail or (tail[0] == "#" and len(tail) < len(rest))


def _flow_list(text: str, pos: int, line: int) -> _FlowList | None:
    """The one-line `[a, 'b', "c"]` at `pos`, or None to decline."""
    found = _FlowList([], [], [])
    end = len(text)
    at = pos + 1
    while at < end and text[at] == " ":
        at += 1
    if at < end and text[at] == "]":
        return found if _only_comment(text, at + 1) else None
    while at < end:
        first = text[at]
        if first == "'" or first == '"':
            quoted = _quoted(text, at)
            if quoted is None:
                return None
            value = written = quoted[0]
            style = first
            after = at + len(quoted[1])
        else:
            match = _FLOW_PLAIN.match(text, at)
            assert match is not None  # the pattern matches the empty string
            written = match.group().rstrip(" ")
            if not written or first in _NOT_PLAIN:
                return None  # an empty item (`[a, , b]`, `[a, ]`) or an indicator
            if first == "-" and (len(written) == 1 or written[1] == " "):
                return None
            value = _PLAIN.get(written, _EMPTY)
            if value is _EMPTY:
                value = _remember(written)
            if value is _DECLINE:
                return None
            style = ""
            after = match.end()
        found.values.append(value)
        found.places.append((line, at + 1))
        if "[[" in written:
            found.strings.append(Written(written, style, line, at + 1))
        while after < end and text[after] == " ":
            after += 1
        if after == end:
            return None  # the list goes on past the line
        if text[after] == "]":
            return found if _only_comment(text, after + 1) else None
        if text[after] != ",":
            return None
        at = after + 1
        while at < end and text[at] == " ":
            at += 1
        if at < end and text[at] == "]":
            return None  # a trailing comma
    return None


def _remember(text: str) -> Any:
    """`_plain_value(text)`, kept in the memo table when `text` is short.

    Every value kept is immutable (text, numbers, booleans, None, dates), so that
    notes may share it.
    """
    value = _plain_value(text)
    if len(text) <= MEMO_TEXT:
        _keep(_PLAIN, text, value)
    return value


def _keep(table: dict[str, Any], text: str, value: Any) -> None:
    """Put `value` in a memo table, emptied first when it holds `MEMO_SIZE` entries."""
    if len(table) >= MEMO_SIZE:
        table.clear()
    table[text] = value


def _plain_value(text: str) -> Any:
    """A non-empty plain scalar's value as the safe loader builds it, or `_DECLINE`.

    Resolution is the loader's: the same resolvers in the same order; the value is
    built by the same constructor. A value it refuses declines, so that its finding
    is reported by one path only.
    """
    tag = None
    for resolved, pattern in _RESOLVERS.get(text[0], _WILDCARD):
        if pattern.match(text):
            tag = resolved
            break
    if tag is None:
        return text
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _BOOL_VALUES[text.lower()]
    if tag == _TIMESTAMP and (utc := _UTC_STAMP.fullmatch(text)) is not None:
        try:
            year, month, day, hour, minute, second = map(int, utc.groups())
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except ValueError:  # 2024-02-30T...: libyaml's path reports it
            return _DECLINE
    build = _BUILDERS.get(tag)
    if build is None or (tag == _INT and len(text) > MAX_INT_TEXT):
        return _DECLINE  # `<<`, `=`, or an integer for libyaml's path to bound
    try:
        return build(_CONSTRUCTOR, ScalarNode(tag, text))
    except Exception:  # e.g. 2024-02-30: libyaml's path reports it
        return _DECLINE
