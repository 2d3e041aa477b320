"""Read a note's YAML frontmatter once, keeping where every key and value is written.

PyYAML's C loader composes the node tree (which carries positions) and then
constructs the data from that same tree, so one parse gives both. Duplicate
keys, which PyYAML silently collapses, are found on the node tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import CSafeLoader
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kbtool import work
from kbtool.linktext import split_wikilink
from kbtool.model import Frontmatter, Link, Problem, PropertyPos, Span, Suppression
from kbtool.yamlvalues import construct

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
    close = next((i for i in range(1, len(lines)) if _FENCE.fullmatch(lines[i])), None)
    if close is None:
        problem = _problem("KB006", "frontmatter opened with '---' on line 1 is never closed", 1)
        return FrontmatterScan(Frontmatter(present=True, start_line=1), 0, problems=(problem,))
    raw = "\n".join(lines[1:close]) + "\n"
    suppressions = tuple(_suppressions(lines, close))
    base = Frontmatter(present=True, start_line=1, end_line=close + 1, raw=raw)
    try:
        loader = CSafeLoader(raw)
        try:
            node = loader.get_single_node()
            problems = tuple(_duplicate_keys(node)) if node is not None else ()
            data = construct(node, loader, raw) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 2
        column = mark.column + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        problem = _problem("KB002", f"frontmatter is not valid YAML: {what}", line, column)
        return FrontmatterScan(base, close + 1, (), suppressions, (problem,))
    except yaml.YAMLError as exc:
        problem = _problem("KB002", f"frontmatter is not valid YAML: {exc}", 2)
        return FrontmatterScan(base, close + 1, (), suppressions, (problem,))
    if node is None:
        fm = Frontmatter(True, {}, {}, 1, close + 1, raw)
        return FrontmatterScan(fm, close + 1, (), suppressions, problems)
    if not isinstance(node, MappingNode) or not isinstance(data, dict):
        kind = "a list" if isinstance(node, SequenceNode) else "a single value"
        problem = _problem(
            "KB003",
            f"frontmatter is {kind}, not a mapping of keys to values",
            node.start_mark.line + 2,
            node.start_mark.column + 1,
        )
        return FrontmatterScan(base, close + 1, (), suppressions, (*problems, problem))
    positions: dict[str, PropertyPos] = {}
    items: dict[str, tuple[tuple[int, int], ...]] = {}
    links: list[Link] = []
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, ScalarNode) else repr(key_node)
        # a repeated key (KB004) points at its last occurrence: the value YAML keeps
        positions[key] = PropertyPos(
            key_node.start_mark.line + 2,
            key_node.start_mark.column + 1,
            value_node.start_mark.line + 2,
            value_node.start_mark.column + 1,
        )
        if isinstance(value_node, SequenceNode):
            items[key] = tuple(
                (n.start_mark.line + 2, n.start_mark.column + 1) for n in value_node.value
            )
        links.extend(_property_links(key, value_node))
    clean = {str(k): v for k, v in data.items()}
    fm = Frontmatter(True, clean, positions, 1, close + 1, raw, items)
    return FrontmatterScan(fm, close + 1, tuple(links), suppressions, problems)


def _duplicate_keys(node: Node) -> list[Problem]:
    """Every repeated key in every mapping of the tree (PyYAML keeps only the last).

    Only mappings and lists are walked, and a mapping's keys are compared one
    by one only when a set of them is smaller than their count.
    """
    found: list[Problem] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            pairs = current.value
            keys = [k.value for k, _ in pairs if isinstance(k, ScalarNode)]
            if len(set(keys)) != len(keys):
                found.extend(_repeats(pairs))
            stack.extend(v for _, v in pairs if isinstance(v, MappingNode | SequenceNode))
        elif isinstance(current, SequenceNode):
            stack.extend(v for v in current.value if isinstance(v, MappingNode | SequenceNode))
    return found


def _repeats(pairs: list[tuple[Node, Node]]) -> list[Problem]:
    seen: dict[Any, int] = {}
    found: list[Problem] = []
    for key_node, _ in pairs:
        if not isinstance(key_node, ScalarNode):
            continue
        key, line = key_node.value, key_node.start_mark.line + 2
        if key in seen:
            found.append(
                _problem(
                    "KB004",
                    f"key '{key}' appears again (first on line {seen[key]});"
                    " YAML keeps only the last value",
                    line,
                    key_node.start_mark.column + 1,
                )
            )
        else:
            seen[key] = line
    return found


def _property_links(key: str, node: Node) -> list[Link]:
    """Quoted `[[...]]` in a string or list value: links in properties (kind `property`)."""
    scalars = (
        [node]
        if isinstance(node, ScalarNode)
        else (
            [n for n in node.value if isinstance(n, ScalarNode)]
            if isinstance(node, SequenceNode)
            else []
        )
    )
    links: list[Link] = []
    for scalar in scalars:
        value = scalar.value
        if "[[" not in value:
            continue
        quoted = 1 if scalar.style in ("'", '"') else 0
        for start, end in _wikilinks(value):
            raw = value[start:end]
            path, subpath, display = split_wikilink(value[start + 2 + (raw[0] == "!") : end - 2])
            line = scalar.start_mark.line + 2
            col = scalar.start_mark.column + 1 + quoted + start
            span = Span(line, col, line, col + end - start)
            links.append(
                Link("property", "property", raw, path, subpath, display, span, property_key=key)
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
            close = _PROPERTY_CLOSE.search(value, s + 3)
            close = close.start() if close else -1
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
