"""The pre-commit hook definition runs the real `check` command on the staged files."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kbtool.cli import main

HOOKS = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"


def _hook_command() -> list[str]:
    [hook] = yaml.safe_load(HOOKS.read_text("utf-8"))
    assert hook["id"] == "kbtool-check"
    assert hook["pass_filenames"] is True  # the staged notes, found in their whole vault
    program, *args = shlex.split(hook["entry"])
    assert program == "kbtool"
    return args


def test_hook_reports_on_the_staged_notes_of_a_vault_in_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As pre-commit runs it: from the repository root, with repository-relative paths."""
    vault = tmp_path / "docs"
    vault.mkdir()
    (vault / "kbtool.toml").write_text("", "utf-8")
    (vault / "A.md").write_text("---\ntitle: A\n---\n[[Sub/B]]\n", "utf-8")
    (vault / "Sub").mkdir()
    (vault / "Sub" / "B.md").write_text("---\ntitle: B\n---\n[[A]] [[Gone]]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    staged = runner.invoke(main, [*_hook_command(), "docs/A.md", "--today", "2026-11-26"])
    assert (staged.exit_code, staged.output) == (
        0,
        "Checked 1 note: 0 errors, 0 warnings, 0 infos.\n",
    )
    other = runner.invoke(main, [*_hook_command(), "docs/Sub/B.md", "--today", "2026-11-26"])
    assert other.exit_code == 1
    assert (
        other.output.splitlines()[0] == "docs/Sub/B.md:4:7: KB201 error: [[Gone]] matches no note"
    )
