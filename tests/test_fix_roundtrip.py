"""`check --fix` rewrites one property in any frontmatter style and keeps every other byte.

The frontmatter comes from the same generator as `review done`'s round-trip test
(key quoting, block and flow values, comments, blank lines, CRLF, a BOM); a
`cssclasses: a, b` line is put at an entry boundary, and the fix must turn
exactly that line into the list Obsidian reads.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kbtool.lint.engine import check
from kbtool.lint.fix import apply_fixes
from kbtool.vault.load import load_vault
from tests.test_review_edit import documents

LINE = "cssclasses: wide, dark"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.booleans(), st.sampled_from(["", "  # two classes"]))
def test_fix_changes_only_the_list_line(
    doc: tuple[str, dict[str, Any]], at_end: bool, comment: str
) -> None:
    text, info = doc
    assume("tags" not in text and "aliases" not in text)  # those would be fixed too
    eol = info["eol"]
    head, fence, rest = text.partition("---" + eol)
    fm, close, body = rest.partition(eol + "---" + eol) if rest.count("---") else ("", "", "")
    assume(close)
    lines = fm.split(eol) if fm else []
    lines.insert(len(lines) if at_end else 0, LINE + comment)
    note = head + fence + eol.join(lines) + close + body
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Note.md"
        path.write_bytes(note.encode("utf-8"))
        vault = load_vault(folder)
        report = apply_fixes(vault, check(vault, select=["KB102"]).diagnostics)
        assert report.fixed, report.failed
        after = path.read_bytes().decode("utf-8")
    new_lines = after.partition("---" + eol)[2].partition(eol + "---" + eol)[0].split(eol)
    changed = [i for i, (a, b) in enumerate(zip(lines, new_lines, strict=True)) if a != b]
    assert changed == [len(lines) - 1 if at_end else 0]
    assert new_lines[changed[0]] == "cssclasses: [wide, dark]" + comment  # comment kept
    assert yaml.safe_load(new_lines[changed[0]]) == {"cssclasses": ["wide", "dark"]}
    assert after.partition(eol + "---" + eol)[2] == body  # the body, byte for byte
    assert after.startswith(head + fence)
