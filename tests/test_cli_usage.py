"""Usage errors read as one line on stderr with exit 2, as every other problem does."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kbtool.cli import main


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["chek"], "No such command 'chek'. (see 'kbtool --help')"),
        (["check", "--format", "xml"], "Invalid value for '--format': 'xml' is not one of"),
        (["review", "due", "--within", "99999999"], "(see 'kbtool review due --help')"),
        (["check", "--no-such-option"], "No such option '--no-such-option'."),
        (["show"], "Missing argument 'NOTE'."),
    ],
)
def test_usage_error_is_one_line_and_exit_2(args: list[str], words: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kbtool: error: "), result.stderr
    assert words in lines[0]
    assert result.stdout == ""


def test_the_console_entry_exits_with_the_commands_status(tmp_path) -> None:
    """Through the real entry point, not only CliRunner: 0 on success, 2 on a usage error."""
    (tmp_path / "A.md").write_text("---\ntitle: A\n---\n", "utf-8")
    ok = subprocess.run(
        [sys.executable, "-m", "kbtool", "check", str(tmp_path), "--select", "KB2"],
        capture_output=True,
        text=True,
    )
    bad = subprocess.run(
        [sys.executable, "-m", "kbtool", "check", "--format", "xml"], capture_output=True, text=True
    )
    assert (ok.returncode, bad.returncode) == (0, 2)
    assert bad.stderr.count("\n") == 1
