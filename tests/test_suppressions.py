"""Inline suppressions in the body: both comment syntaxes, next-line and whole-file, KB901."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kbtool.lint.engine import check
from kbtool.vault.load import load_vault

NOTE = """---
title: N
---
<!-- kbtool-disable-next-line KB201 -->
A link to [[Nowhere]] is silenced.
%% kbtool-disable-next-line KB201 %%
So is [[Nowhere else]].
But [[Still broken]] is reported.
<!-- kbtool-disable-next-line KB203 -->
Nothing on this line for KB203 to silence.
"""


def _run(tmp_path: Path, text: str, select: list[str]) -> list[tuple[int, str]]:
    (tmp_path / "N.md").write_text(text, encoding="utf-8")
    (tmp_path / "Other.md").write_text("---\ntitle: O\n---\n[[N]]\n", encoding="utf-8")
    result = check(load_vault(tmp_path), select=select, today=dt.date(2026, 11, 26))
    return [(d.line, d.code) for d in result.diagnostics if d.path == "N.md"]


def test_next_line_in_html_and_obsidian_comments(tmp_path: Path) -> None:
    assert _run(tmp_path, NOTE, ["KB2", "KB901"]) == [(8, "KB201"), (9, "KB901")]


def test_whole_file_suppression(tmp_path: Path) -> None:
    text = "---\ntitle: N\n---\n%% kbtool-disable KB201 %%\n[[A]] and [[B]]\n"
    assert _run(tmp_path, text, ["KB201", "KB901"]) == []


def test_suppression_without_codes_silences_everything_on_the_line(tmp_path: Path) -> None:
    text = "---\ntitle: N\n---\n<!-- kbtool-disable-next-line -->\n[[A]] [[B#x]]\n"
    assert _run(tmp_path, text, ["KB2", "KB901"]) == []


def test_unused_suppression_of_a_rule_that_did_not_run_is_not_reported(tmp_path: Path) -> None:
    assert _run(tmp_path, NOTE, ["KB201", "KB901"]) == [(8, "KB201")]
