"""Hostile input never raises: any bytes in any note give diagnostics, not a traceback."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtool.lint.engine import check
from kbtool.notes.parse import parse_note
from kbtool.vault.load import load_vault

FRAGMENTS = [
    "---",
    "---\n",
    "title: x",
    "type: Fact",
    "created: {{date}}",
    "tags: [a, #b]",
    "tags:\n  - 1984\n  - 'a b'",
    "a: &x [*x]",
    "<<: {a: 1}",
    "!!binary x",
    "key: [unclosed",
    "[[",
    "]]",
    "[[Note",
    "[[#",
    "[[#^",
    "![[x.png|100x",
    "[[a|b|c]]",
    "[[a\\|b]]",
    "](",
    "[t](<x y.md>)",
    "[t](%ZZ)",
    "```",
    "~~~",
    "    code",
    "$$",
    "$",
    "%%",
    "<!--",
    "-->",
    "<div>",
    "</div>",
    "#",
    "# H",
    "## H #tag",
    "===",
    "- item ^id",
    "^id",
    "> [!note]",
    "| a | b |",
    "|---|",
    "\t",
    "\r\n",
    "\n",
    " ",
    "\u200b",
    "\ufeff",
    "é",
    "😀",
    "\x00",
    "kbtool-disable-next-line KB201",
    "%% kbtool-disable %%",
]


def note_text() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map("".join)


def note_bytes() -> st.SearchStrategy[bytes]:
    return note_text().map(lambda t: t.encode("utf-8")) | st.binary(max_size=200)


@settings(max_examples=400, deadline=None)
@given(note_bytes())
def test_parse_note_never_raises_and_positions_are_in_the_file(data: bytes) -> None:
    note = parse_note("n.md", data)
    lines = max(data.count(b"\n") + 1, 1)
    for link in note.links:
        assert 1 <= link.span.line <= lines
        assert link.span.column >= 1
    for problem in note.problems:
        assert 1 <= problem.span.line <= lines


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(note_bytes(), min_size=1, max_size=5), st.booleans())
def test_every_rule_survives_any_vault(notes: list[bytes], typed_config: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        if typed_config:
            (root / "kbtool.toml").write_text(
                "[schema]\nrequire_type = true\n[schema.types.Fact]\n", "utf-8"
            )
        for index, data in enumerate(notes):
            (root / f"N{index}.md").write_bytes(data)
        vault = load_vault(root)
        everything = [code for code in ("KB0", "KB1", "KB2", "KB3", "KB4", "KB9")]
        result = check(
            vault, select=[*everything, "KB104", "KB206", "KB401"], today=dt.date(2026, 11, 26)
        )
        lines = {f"N{i}.md": data.count(b"\n") + 1 for i, data in enumerate(notes)}
        for d in result.diagnostics:
            assert d.path in vault.notes
            assert 1 <= d.line <= d.end_line <= lines[d.path], d  # inside the file
            assert d.column >= 1
