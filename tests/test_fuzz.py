"""The fuzz targets (fuzz/): every saved crash is replayed, and a short fuzz run of each
target (a few seconds, in a subprocess, atheris where installed) finds no crash."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz.run import NAMES, REGRESSIONS, replay

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", NAMES)
def test_saved_crashes_pass(name: str) -> None:
    assert sorted((REGRESSIONS / name).glob("*")), f"no saved inputs for {name}"
    replay(name)


def test_a_short_fuzz_run_finds_no_crash(tmp_path: Path) -> None:
    engine = "atheris" if importlib.util.find_spec("atheris") else "hypothesis"
    done = subprocess.run(
        [sys.executable, "-m", "fuzz.run", "--seconds", "12", "--engine", engine],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.stdout.count(f"with {engine}") == len(NAMES)
