"""The pre-commit hook definition runs the real `check` command on the whole vault."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml
from click.testing import CliRunner

from kbtool.cli import main

HOOKS = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"
VAULT = Path(__file__).resolve().parent.parent / "vault"


def test_hook_runs_kbtool_check_on_the_vault() -> None:
    [hook] = yaml.safe_load(HOOKS.read_text("utf-8"))
    assert hook["id"] == "kbtool-check"
    assert hook["pass_filenames"] is False  # links span notes: check the whole vault
    program, *args = shlex.split(hook["entry"])
    assert program == "kbtool"
    result = CliRunner().invoke(main, [*args, str(VAULT), "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
