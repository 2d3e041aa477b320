"""The console script ends the process without freeing what the command built
(`kbtool.cli.console`): the exit status and every byte of output are as before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmark_scripts import load_script

LINKS = Path(__file__).parent / "fixtures" / "links"


def _kbtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbtool", *args], capture_output=True, text=True, check=False
    )


def test_exit_statuses_are_kept(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.md").write_text("---\ntitle: a\n---\n[[b]]\n", "utf-8")
    (clean / "b.md").write_text("---\ntitle: b\n---\n[[a]]\n", "utf-8")
    assert _kbtool("check", str(clean), "--no-cache").returncode == 0
    found = _kbtool("check", str(LINKS), "--no-cache")
    assert found.returncode == 1 and "KB201" in found.stdout
    usage = _kbtool("check", str(tmp_path / "missing"))
    assert usage.returncode == 2 and usage.stderr.startswith("kbtool: error:")
    version = _kbtool("--version")
    assert version.returncode == 0 and version.stdout.startswith("kbtool, version")


def test_long_output_is_flushed_whole(tmp_path: Path) -> None:
    """Far more than a pipe holds, still buffered when the command returns."""
    vault = tmp_path / "vault"
    load_script("generate_vault").generate(300, vault, seed=2)
    done = _kbtool("graph", str(vault), "--no-cache", "--format", "json")
    assert done.returncode == 0
    assert len(done.stdout) > 1 << 16
    graph = json.loads(done.stdout)
    assert len(graph["nodes"]) >= 300


def test_a_message_given_to_exit_is_printed_with_status_1() -> None:
    from kbtool.cli import _status

    assert (_status(None), _status(0), _status(2), _status(257)) == (0, 0, 2, 1)
