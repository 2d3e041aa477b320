"""The progress bar: on a terminal's stderr, phase by phase; never in a pipe or with --quiet.

A real pseudo-terminal (pty), not a mock; KBTOOL_PROGRESS_DELAY=0 shows the bar at once
(by default it waits a second), so no test depends on how fast the machine is.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest


def _vault(tmp_path: Path) -> Path:
    for i in range(30):
        (tmp_path / f"n{i}.md").write_text(f"---\ntitle: N{i}\n---\n[[n{(i + 1) % 30}]]\n", "utf-8")
    return tmp_path


def _stderr_on_a_terminal(args: list[str], delay: str = "0") -> str:
    """Run kbtool with stderr on a pty (stdout a pipe); what the terminal received."""
    leader, follower = pty.openpty()
    env = {**os.environ, "KBTOOL_PROGRESS_DELAY": delay, "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    with subprocess.Popen(
        [sys.executable, "-m", "kbtool", *args], stdout=subprocess.PIPE, stderr=follower, env=env
    ) as child:
        os.close(follower)
        received = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        assert child.stdout is not None
        child.stdout.read()
    os.close(leader)
    return received.decode("utf-8", "replace")


@pytest.mark.parametrize("no_cache", [["--no-cache"], []])
def test_a_terminal_sees_each_phase(tmp_path: Path, no_cache: list[str]) -> None:
    shown = _stderr_on_a_terminal(["check", str(_vault(tmp_path)), *no_cache])
    assert "Reading notes" in shown
    assert "Checking (rules)" in shown


def test_quiet_and_the_delay_hide_it(tmp_path: Path) -> None:
    vault = str(_vault(tmp_path))
    assert "Reading notes" not in _stderr_on_a_terminal(["check", vault, "--quiet"])
    assert "Reading notes" not in _stderr_on_a_terminal(["check", vault, "-q"])
    # with the default second of delay, a 30-note check is over before the bar would show
    assert "Reading notes" not in _stderr_on_a_terminal(["check", vault], delay="60")


def test_a_pipe_sees_none(tmp_path: Path) -> None:
    env = {**os.environ, "KBTOOL_PROGRESS_DELAY": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "kbtool", "check", str(_vault(tmp_path))],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.stderr == ""
    assert done.stdout == "Checked 30 notes: 0 errors, 0 warnings, 0 infos.\n"


def test_the_bar_runs_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawn from the callback: a refresh thread would keep the check from forking."""
    import threading

    from kbtool.cli.progress import PhaseProgress

    monkeypatch.setenv("KBTOOL_PROGRESS_DELAY", "0")
    threads = threading.active_count()
    bar = PhaseProgress(enabled=True)
    update = bar.phase("Reading notes")
    for done in range(0, 129, 64):
        update(done, 128)
    assert bar._bar is not None  # shown
    assert threading.active_count() == threads
    bar.close()
