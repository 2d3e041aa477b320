"""Read a note's YAML frontmatter once, keeping where every key and value is written.

`kbtool.notes.yamlvalues` reads libyaml's events once and gives both the values and
where each top-level key, value and list item is written, plus what could not
be built (each reported at its value, the rest still read). Duplicate keys,
which YAML silently collapses, are found in the same pass. Plain frontmatter
(scalars and lists of scalars, nearly every note's) is read by
`kbtool.notes.plainyaml` instead, which gives the same document without libyaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from sys import intern

import yaml

from kbtool import codes
from kbtool.base import work
from kbtool.model import NO_KEYS, Frontmatter, KeyPositions, Link, Problem, Span, Suppression
from kbtool.notes.linktext import split_wikilink
from kbtool.notes.plainyaml import read_plain
from kbtool.notes.yamlvalues import Entry, build

_FENCE = re.compile(r"---[ \t]*")
_PROPERTY_CLOSE = re.compile(r"\]\](?!\])")
_SUPPRESS = re.compile(r"#\s*kbtool-disable(?P<next>-next-line)?(?P<codes>(?:[\s,]+KB\d{3})*)\s*$")


@dataclass(frozen=True, slots=True)
class FrontmatterScan:
    """The frontmatter plus what was found in it, and where the body starts."""

    frontmatter: Frontmatter
    body_start: int  # index into the lines list of the first body line
    links: tuple[Link, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    problems: tuple[Problem, ...] = ()


def _problem(code: str, message: str, line: int, column: int = 1) -> Problem:
    return Problem(code, message, Span(line, column, line, column))


def scan_frontmatter(lines: list[str]) -> FrontmatterScan:
    """Parse the frontmatter at the top of `lines` (line ends already removed)."""
    if not lines or not _FENCE.fullmatch(lines[0]):
        return FrontmatterScan(Frontmatter(), 0)
    close = next(
        (i for i in range(1, len(lines)) if lines[i][:3] == "---" and _FENCE.fullmatch(lines[i])),
        None,
    )
    if close is None:
        problem = _problem(
            codes.UNCLOSED_FRONTMATTER, "frontmatter opened with '---' on line 1 is never closed", 1
        )
        return FrontmatterScan(Frontmatter(present=True, start_line=1), 0, problems=(problem,))
    raw = "\n".join(lines[1:close]) + "\n"
    suppressions = tuple(_suppressions(lines, close)) if "kbtool-disable" in raw else ()
    base = Frontmatter(present=True, start_line=1, end_line=close + 1)
    try:
        document = read_plain(raw, first_line=2) or build(raw, first_line=2)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 2
        column = mark.column + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        problem = _problem(
            codes.INVALID_YAML, f"frontmatter is not valid YAML: {what}", line, column
        )
        return FrontmatterScan(base, close + 1, (), suppressions, (problem,))
    except yaml.YAMLError as exc:
        problem = _problem(codes.INVALID_YAML, f"frontmatter is not valid YAML: {exc}", 2)
        return FrontmatterScan(base, close + 1, (), suppressions, (problem,))
    problems = tuple(document.problems)
    if document.kind == "empty":
        fm = Frontmatter(True, {}, KeyPositions(), 1, close + 1)
        return FrontmatterScan(fm, close + 1, (), suppressions, problems)
    data = document.value
    if not isinstance(data, dict):
        if document.kind != "mapping":  # else: a mapping that could not be built, reported
            kind = "a list" if document.kind == "sequence" else "a single value"
            message = f"frontmatter is {kind}, not a mapping of keys to values"
            problems += (
                _problem(codes.FRONTMATTER_NOT_MAPPING, message, document.line, document.column),
            )
        return FrontmatterScan(base, close + 1, (), suppressions, problems)
    positions: dict[str, tuple[int, int, int, int]] = {}
    items: dict[str, tuple[int, ...]] = {}
    links: list[Link] = []
    broken: set[str] = set()
    emptied = False  # a repeated key whose last value has no list items
    for entry in document.entries:
        key = intern(entry.key)
        # a repeated key (KB004) points at its last occurrence: the value YAML keeps
        positions[key] = entry[1:5]  # (line, column, value line, value column)
        if entry.items:
            items[key] = tuple(chain.from_iterable(entry.items))
        elif key in items:
            items[key] = ()
            emptied = True
        if entry.broken:
            broken.add(key)
        if entry.strings:
            links.extend(_property_links(entry))
    if emptied:
        items = {key: places for key, places in items.items() if places}
    clean = {intern(str(k)): v for k, v in data.items()}  # keys repeat in every note: kept once
    at = KeyPositions.of(positions)
    fm = Frontmatter(True, clean, at, 1, close + 1, items, frozenset(broken) or NO_KEYS)
    return FrontmatterScan(fm, close + 1, tuple(links), suppressions, problems)


def _property_links(entry: Entry) -> list[Link]:
    """Quoted `[[...]]` in a string or list value: links in properties (kind `property`)."""
    links: list[Link] = []
    for scalar in entry.strings:
        quoted = 1 if scalar.style in ("'", '"') else 0
        value = scalar.value
        for start, end in _wikilinks(value):
            raw = value[start:end]
            path, subpath, display = split_wikilink(value[start + 2 + (raw[0] == "!") : end - 2])
            col = scalar.column + quoted + start
            links.append(
                Link(
                    "property",
                    "property",
                    raw,
                    intern(path),
                    subpath,
                    display,
                    scalar.line,
                    col,
                    scalar.line,
                    col + end - start,
                    property_key=entry.key,
                )
            )
    return links


def _wikilinks(value: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each `[[...]]` or `![[...]]` in a property value, in order.

    What `(!?)\\[\\[(.+?)\\]\\](?!\\])` finds, found in one pass: the regex tried
    each `[[` against the rest of its line, so `[[` repeated read the value once per
    `[[`. Here the next closing `]]` (not followed by `]`) and the next line end are
    searched once and reused while they lie ahead.
    """
    close = newline = -2  # -2: not searched yet; -1: none left
    pos = 0
    while True:
        s = value.find("[[", pos)
        if s < 0:
            return
        if close < s + 3 and close != -1:
            found = _PROPERTY_CLOSE.search(value, s + 3)
            close = found.start() if found else -1
            work.steps += (close if close >= 0 else len(value)) - s
        if newline < s + 2 and newline != -1:
            newline = value.find("\n", s + 2)
            work.steps += (newline if newline >= 0 else len(value)) - s
        if close < 0 or 0 <= newline < close:
            pos = s + 1
            continue
        yield (s - 1 if s > pos and value[s - 1] == "!" else s), close + 2
        pos = close + 2


def _suppressions(lines: list[str], close: int) -> list[Suppression]:
    """`# kbtool-disable-next-line KB107` comments inside the frontmatter."""
    found: list[Suppression] = []
    for index in range(1, close):
        text = lines[index]
        if "kbtool-disable" not in text:
            continue
        m = _SUPPRESS.search(text)
        if m is None:
            continue
        codes = tuple(re.findall(r"KB\d{3}", m.group("codes")))
        line = index + 1
        target = line + 1 if m.group("next") else 0
        found.append(Suppression(codes, line, m.start() + 1, target))
    return found
