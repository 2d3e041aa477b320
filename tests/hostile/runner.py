"""Run every read command on one vault in a forked child with a memory cap and a deadline.

A hang must fail the test, not the suite, so each vault runs in its own
process: forked from the test process (kbtool is already imported, so a case
costs milliseconds, not an interpreter start), with RLIMIT_AS capping its
address space, killed when its deadline passes. The child reports, per
command, the exit status, whether an exception other than SystemExit escaped
(a traceback a user would see), the size of the output and its text.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MEMORY_CAP = 2 * 1024**3  # bytes of address space a child may use
DEADLINE = 120.0  # seconds before a child counts as hung (a hang guard, not a timing)
TODAY = "2026-11-26"


@dataclass(frozen=True)
class Outcome:
    """What one command did on the hostile vault."""

    args: tuple[str, ...]
    exit_code: int
    traceback: str | None  # the escaped exception, if any
    stdout: str
    stderr: str
    output_bytes: int


def commands(vault: Path, out_dir: Path, note: str | None, heavy: bool) -> list[list[str]]:
    """Every command that only reads the vault, in the forms a user runs them.

    A heavy (large) input gets the commands that walk every part of a note:
    check (cold and cached), the graph, and show.
    """
    v = str(vault)
    if heavy:
        core = [
            ["check", v, "--format", "json", "--no-cache", "--today", TODAY],
            ["check", v, "--format", "json", "--today", TODAY],
            ["check", v, "--format", "json", "--today", TODAY],
            ["graph", v, "--format", "json"],
            ["index", v, "--format", "json", "--today", TODAY],
        ]
        return core + ([["show", note, "--vault", v, "--format", "json"]] if note else [])
    cmds = [
        ["check", v, "--format", "json", "--no-cache", "--today", TODAY],
        ["check", v, "--format", "json", "--today", TODAY],  # fills the parse cache
        ["check", v, "--format", "json", "--today", TODAY],  # reads it back
        ["check", v, "--format", "sarif", "--no-cache", "--today", TODAY],
        ["check", v, "--format", "github", "--no-cache", "--today", TODAY],
        ["graph", v, "--format", "json"],
        ["graph", v, "--format", "graphml", "-o", str(out_dir / "g.graphml")],
        ["stats", v, "--format", "json"],
        ["index", v, "--format", "json", "--today", TODAY],
        ["index", v, "--format", "md", "--today", TODAY],
        ["review", "due", v, "--format", "json", "--today", TODAY],
        ["review", "agenda", v, "--today", TODAY],
        ["review", "ics", v, "-o", str(out_dir / "r.ics"), "--today", TODAY],
        ["show", "Good", "--vault", v, "--format", "json", "--today", TODAY],
    ]
    if note is not None:
        cmds.append(["show", note, "--vault", v, "--format", "json", "--today", TODAY])
        cmds.append(["show", note, "--vault", v, "--today", TODAY])
    return cmds


def _child(vault: Path, out_dir: Path, note: str | None, heavy: bool, write_fd: int) -> None:
    from click.testing import CliRunner

    from kbtool.cli import main

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    results: list[dict[str, Any]] = []
    for args in commands(vault, out_dir, note, heavy):
        result = CliRunner().invoke(main, args, catch_exceptions=True)
        exc = result.exception
        escaped = None
        if exc is not None and not isinstance(exc, SystemExit):
            escaped = f"{type(exc).__name__}: {exc}"[:500]
        out = result.stdout_bytes
        results.append(
            {
                "args": args,
                "exit_code": result.exit_code,
                "traceback": escaped,
                "stdout": out[:50_000_000].decode("utf-8", "replace"),
                "stderr": result.stderr_bytes[:5_000].decode("utf-8", "replace"),
                "output_bytes": len(out),
            }
        )
    payload = json.dumps(results).encode()
    view = memoryview(payload)
    while view:
        written = os.write(write_fd, view)
        view = view[written:]


def run_all(vault: Path, out_dir: Path, note: str | None, heavy: bool = False) -> list[Outcome]:
    """The outcome of every command; raises AssertionError when the child hangs or dies."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_fd)
        status = 0
        try:
            _child(vault, out_dir, note, heavy, write_fd)
        except BaseException:
            status = 3
        finally:
            os._exit(status)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + DEADLINE
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                raise AssertionError(f"commands did not finish within {DEADLINE:.0f} s (a hang)")
            ready, _, _ = select.select([read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
    if status != 0:
        raise AssertionError(f"the child process died (wait status {status}): memory cap hit?")
    return [
        Outcome(
            tuple(r["args"]),
            r["exit_code"],
            r["traceback"],
            r["stdout"],
            r["stderr"],
            r["output_bytes"],
        )
        for r in json.loads(b"".join(chunks))
    ]
