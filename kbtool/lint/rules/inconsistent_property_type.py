"""KB110 inconsistent-property-type: the same key holds different types across the vault."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Example, rule
from kbtool.model import Finding, Note
from kbtool.notes.properties import property_type
from kbtool.vault.resolve import ResolvedLink


def _property_types(
    ctx: RuleContext, note: Note, links: Sequence[ResolvedLink]
) -> tuple[tuple[str, str, int, int], ...]:
    """Each typed property of the note, with where a finding about it would stand."""
    fixed = _fixed(ctx)
    positions = note.frontmatter.positions
    found = []
    for key, value in note.meta.items():
        if key in fixed or key in note.frontmatter.broken:
            continue
        kind = property_type(value)
        if kind is not None:  # where Finding.at_key(note, key, ..., value=True) stands
            pos = positions.get(key)
            found.append((key, kind, *((pos.value_line, pos.value_column) if pos else (1, 1))))
    return tuple(found)


def _fixed(ctx: RuleContext) -> set[str]:
    """Keys whose type Obsidian fixes, which KB102 checks instead."""
    from kbtool.config import RESERVED_LISTS

    return {*RESERVED_LISTS, *ctx.config.property_kinds}


@rule(
    "KB110",
    "inconsistent-property-type",
    "warning",
    "a key that is a number in one note and text in another",
    why=(
        "Obsidian's property editor shows the value in the minority type as invalid, and sorting "
        "by the property mixes numbers with text."
    ),
    example=Example(
        bad="a.md:\n---\npriority: 2\n---\nb.md:\n---\npriority: high\n---",
        good="a.md:\n---\npriority: 2\n---\nb.md:\n---\npriority: 1\n---",
    ),
    vault_input=_property_types,
)
def check(ctx: RuleContext) -> Iterator[Finding]:
    """A key whose values have different types in different notes, while Obsidian gives
    each property name one type for the whole vault. The type that
    most notes use wins; each note that differs is reported. Empty values fit any type.
    Obsidian's own list keys (tags, aliases, cssclasses) have a fixed type, and so has
    every key that `.obsidian/types.json` types (`"last": "date"`): KB102 reports a value
    of another type there, against the type Obsidian set, whatever most notes hold."""
    from kbtool.config import RESERVED_LISTS

    fixed = {*RESERVED_LISTS, *ctx.config.property_kinds}
    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for note in ctx.vault.notes.values():
        for key, value in note.meta.items():
            if key in fixed or key in note.frontmatter.broken:
                continue
            kind = property_type(value)
            if kind is not None:
                seen[key].append((kind, note.path))
    for key, uses in seen.items():
        counts = Counter(kind for kind, _ in uses)
        if len(counts) < 2:
            continue
        majority, majority_count = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for kind, path in uses:
            if kind != majority:
                share = f"{majority} in {majority_count} of {len(uses)} notes"
                message = f"'{key}' is {kind} here but {share}"
                yield Finding.at_key(ctx.vault.notes[path], key, message, value=True)
