"""Set one top-level frontmatter key in a note's text, changing nothing else.

A YAML round trip (load, change, dump) would rewrite quoting, comments, key
order and line endings. Instead, the YAML is composed with PyYAML's pure
Python loader, whose marks are code-point offsets into the text, to find
the exact characters of the key's value; only those are replaced (or, for
an absent key, one line is inserted before the closing `---`). The values
are read before and after by `kbtool.notes.yamlvalues`, as `check` reads them
(so nothing here recurses, or expands an alias, without bound), and an edit
that would change any other value is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode

from kbtool.errors import KbtoolError
from kbtool.notes.lines import BOM
from kbtool.notes.yamlvalues import MAX_DEPTH, build

_FENCE = re.compile(r"---[ \t]*")
#: What may be written as a value: plain YAML that needs no quoting (dates, `30d`).
_SAFE_VALUE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+:-]*")


class FrontmatterEditError(KbtoolError, ValueError):
    """The key cannot be set safely; the message says why and nothing is changed."""


def _lines_with_offsets(text: str, start: int) -> list[tuple[int, int, int]]:
    """(start, end without line break, end with line break) of each line from `start`."""
    spans = []
    pos = start
    while pos < len(text):
        nl = text.find("\n", pos)
        end_full = len(text) if nl < 0 else nl + 1
        end = nl if nl >= 0 else len(text)
        if end > pos and text[end - 1] == "\r":
            end -= 1
        spans.append((pos, end, end_full))
        pos = end_full
    return spans


def _frontmatter_region(text: str) -> tuple[int, int, str]:
    """The YAML's start and end offsets (end: start of the closing fence line), and the
    line ending of the opening fence line. Mirrors `kbtool.notes.frontmatter`: a `---` line
    first, then the next `---` line closes."""
    start = 1 if text.startswith(BOM) else 0
    lines = _lines_with_offsets(text, start)
    if not lines or not _FENCE.fullmatch(text[lines[0][0] : lines[0][1]]):
        raise FrontmatterEditError("the note has no frontmatter")
    for line_start, line_end, _ in lines[1:]:
        if _FENCE.fullmatch(text[line_start:line_end]):
            eol = text[lines[0][1] : lines[0][2]] or "\n"
            return lines[0][2], line_start, eol
    raise FrontmatterEditError("the frontmatter is not closed with '---'")


def _yaml_problem(exc: Exception) -> str:
    """One line for a YAML error, with its line in the note (the fence is line 1)."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        line = exc.problem_mark.line + 2
        return f"the frontmatter is not valid YAML: {exc.problem} (line {line})"
    return "the frontmatter is not valid YAML: " + " ".join(str(exc).split())


def _load(raw: str) -> dict[str, Any]:
    """The frontmatter's values, read as `kbtool check` reads them (within its budgets).

    A value that cannot be built (an impossible date, `!!int abc`, an alias over
    the budget) reads as empty, before and after the edit alike, so the
    comparison still proves that nothing but the key changed. Text nested
    deeper than `MAX_DEPTH` is refused: composing it to find the key would recurse.
    """
    try:
        document = build(raw, first_line=2)
    except yaml.YAMLError as exc:
        raise FrontmatterEditError(_yaml_problem(exc)) from exc
    if document.too_deep:
        raise FrontmatterEditError(
            f"the frontmatter nests values more than {MAX_DEPTH} levels deep; not edited"
        )
    if document.kind == "empty":
        return {}
    if not isinstance(document.value, dict):
        raise FrontmatterEditError("the frontmatter is not a mapping of keys to values")
    return document.value


def _compose(raw: str) -> MappingNode | None:
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise FrontmatterEditError(_yaml_problem(exc)) from exc
    if node is None:
        return None
    if not isinstance(node, MappingNode):
        raise FrontmatterEditError("the frontmatter is not a mapping of keys to values")
    if node.flow_style:
        raise FrontmatterEditError("the frontmatter is a {flow} mapping; cannot add or set keys")
    return node


def _replace_value(
    raw: str, key_node: ScalarNode, node: object, key: str, value: str, whole: bool = False
) -> str:
    """`raw` with the value of one existing key replaced (or filled in when empty).

    A quoted value keeps its quotes unless `whole` asks to replace them too (when
    the new value is YAML of another kind, such as a flow list).
    """
    if not isinstance(node, ScalarNode) or node.style not in (None, "'", '"'):
        raise FrontmatterEditError(f"'{key}' holds a list, mapping or block value; not rewritten")
    start, end = node.start_mark.index, node.end_mark.index
    on_key_line = node.start_mark.line == key_node.start_mark.line == node.end_mark.line
    if not on_key_line or start < key_node.end_mark.index:
        raise FrontmatterEditError(
            f"'{key}' has a multi-line value or refers to another value; not rewritten"
        )
    between = raw[key_node.end_mark.index : start]
    if not re.fullmatch(r"[ \t]*:[ \t]*", between) or (end > start and raw[start] in "&!*"):
        raise FrontmatterEditError(f"'{key}' has a YAML anchor, tag or alias; not rewritten")
    if node.style is not None and not whole:  # quoted: keep the quotes, replace the inside
        return raw[: start + 1] + value + raw[end - 1 :]
    if end > start:  # plain, non-empty (a date, `~`, `null`)
        return raw[:start] + value + raw[end:]
    # Empty: write after the first blank that follows the colon, else add one.
    rest = raw[start:]
    if rest[:1] in (" ", "\t"):
        start, rest = start + 1, rest[1:]
        inserted = value
    else:
        inserted = " " + value
    if rest[:1] not in ("", " ", "\t", "\r", "\n"):
        inserted += " "  # keep a comment (`#`) from touching the value
    return raw[:start] + inserted + raw[start:]


def _add_key(raw: str, node: MappingNode | None, key: str, value: str, fence_eol: str) -> str:
    """`raw` with a `key: value` line added after the last key.

    When the last value is a block scalar (`|`, `>`), the line goes before that
    key instead: the block's value runs to the closing fence, and a key added
    after it would have to get the block's indentation and chomping exactly
    right to leave its value unchanged.
    """
    eol = "\r\n" if (raw or fence_eol).endswith("\r\n") else "\n"
    indent, offset = "", len(raw)
    if node is not None and node.value:
        indent = " " * node.value[0][0].start_mark.column
        last_key, last_value = node.value[-1]
        if isinstance(last_value, ScalarNode) and last_value.style in ("|", ">"):
            offset = raw.rfind("\n", 0, last_key.start_mark.index) + 1
            eol = (
                "\r\n"
                if raw[:offset].endswith("\r\n") or (offset == 0 and fence_eol.endswith("\r\n"))
                else "\n"
            )
    return raw[:offset] + f"{indent}{key}: {value}{eol}" + raw[offset:]


def set_frontmatter_value(text: str, key: str, value: str, *, expected: Any = None) -> str:
    """Return `text` with top-level `key` set to the plain YAML `value`.

    With `expected`, `value` may be any one-line YAML (a flow list `[a, b]`)
    and must read back as `expected`; it then replaces a quoted value whole.

    Only the characters of the old value change (for an empty `key:`, the
    value is inserted after the colon and its blank); an absent key is added
    as a new line after the last one, with the file's line ending. Raises
    `FrontmatterEditError` when the note has no valid block-mapping
    frontmatter, the key appears twice, or its value is a list, mapping,
    block scalar, multi-line, anchored, tagged or aliased value.
    """
    if (expected is None and not _SAFE_VALUE.fullmatch(value)) or "\n" in value or "\r" in value:
        raise ValueError(f"{value!r} cannot be written as a plain YAML value")
    yaml_start, yaml_end, fence_eol = _frontmatter_region(text)
    raw = text[yaml_start:yaml_end]
    before = _load(raw)
    node = _compose(raw)
    matches = [
        (k, v)
        for k, v in (node.value if node else [])
        if isinstance(k, ScalarNode) and k.value == key
    ]
    if len(matches) > 1:
        raise FrontmatterEditError(f"'{key}' appears more than once in the frontmatter")
    if matches:
        whole = expected is not None
        new_raw = _replace_value(raw, matches[0][0], matches[0][1], key, value, whole)
    else:
        new_raw = _add_key(raw, node, key, value, fence_eol)
    _verify(before, _load(new_raw), key, value, expected)
    return text[:yaml_start] + new_raw + text[yaml_end:]


def _verify(
    before: dict[str, Any], after: dict[str, Any], key: str, value: str, expected: Any
) -> None:
    """Refuse an edit that changed anything but `key`, or did not set it to `value`."""
    written = after.get(key)
    if expected is not None:
        wrong = written != expected
    else:
        as_text = written.isoformat() if isinstance(written, dt.date) else str(written)
        wrong = as_text != value
    others_before = {k: v for k, v in before.items() if k != key}
    others_after = {k: v for k, v in after.items() if k != key}
    if wrong or repr(others_before) != repr(others_after):
        raise FrontmatterEditError(f"setting '{key}' here would change other values; not done")
