"""Every read command on every hostile input: the right finding, no traceback, no hang.

Each case is a three-note vault with one hostile file. Every read command runs
on it in a forked child with a memory cap and a deadline (tests/hostile/runner.py),
and the test asserts what a user would check: no traceback, exit 0 or 1 (or
exit 2 with one line for a broken kbtool.toml), the hostile note's findings,
and Good.md's broken link still reported, so one bad note never hides the rest.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .cases import CASES, CONFIG_CASES, GOOD, GOOD_BROKEN_LINE, OTHER, Case
from .runner import Outcome, run_all

OUTPUT_PER_INPUT_BYTE = 200  # output may grow with the input (one graph edge a link), no faster
OUTPUT_FLOOR = 1024**2


def _make_vault(root: Path, case: Case) -> Path:
    vault = root / "vault"
    vault.mkdir()
    (vault / "Good.md").write_bytes(GOOD)
    (vault / "Other.md").write_bytes(OTHER)
    for name, data in {**case.files, **case.extra}.items():
        target = vault / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if case.config is not None:
        (vault / "kbtool.toml").write_bytes(case.config)
    return vault


def _outcomes(tmp_path: Path, case: Case) -> list[Outcome]:
    vault = _make_vault(tmp_path, case)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = _hashes(vault)
    outcomes = run_all(vault, out_dir, case.note, case.heavy)
    assert _hashes(vault) == before, "a read command changed the vault"
    return outcomes


def _hashes(vault: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(vault)): p.read_bytes()
        for p in sorted(vault.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _assert_clean(outcome: Outcome, input_bytes: int) -> None:
    where = " ".join(outcome.args[:3])
    cap = OUTPUT_FLOOR + OUTPUT_PER_INPUT_BYTE * input_bytes
    assert outcome.traceback is None, f"{where}: {outcome.traceback}"
    assert "Traceback" not in outcome.stderr, f"{where}: {outcome.stderr}"
    assert outcome.output_bytes < cap, f"{where}: {outcome.output_bytes} bytes of output"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_note(tmp_path: Path, case: Case) -> None:
    outcomes = _outcomes(tmp_path, case)
    size = sum(len(data) for data in case.files.values())
    for outcome in outcomes:
        _assert_clean(outcome, size)
        if outcome.args[:2] == ("show", "Good"):
            assert outcome.exit_code == 0, outcome.stderr
        elif outcome.args[0] != "show":
            assert outcome.exit_code in (0, 1), f"{outcome.args[:3]}: {outcome.stderr}"
    check_runs = [o for o in outcomes if o.args[0] == "check" and "json" in o.args]
    reports = [json.loads(o.stdout) for o in check_runs]
    assert reports[0]["diagnostics"] == reports[1]["diagnostics"] == reports[2]["diagnostics"], (
        "the parse cache changed the findings"
    )
    report = reports[0]
    assert report["summary"]["notes"] == case.notes
    found = {(d["path"], d["code"]) for d in report["diagnostics"]}
    good_lines = {
        d["line"] for d in report["diagnostics"] if d["path"] == "Good.md" and d["code"] == "KB201"
    }
    assert good_lines == {GOOD_BROKEN_LINE}, "Good.md was not checked as usual"
    for code in case.expect:
        assert (case.path, code) in found, f"{case.path} lacks {code}: {sorted(found)}"
    for d in report["diagnostics"]:
        assert d["line"] >= 1 and d["column"] >= 1
        assert d["end_line"] >= d["line"]


@pytest.mark.parametrize("case", CONFIG_CASES, ids=[c.name for c in CONFIG_CASES])
def test_hostile_config(tmp_path: Path, case: Case) -> None:
    for outcome in _outcomes(tmp_path, case):
        _assert_clean(outcome, len(case.config or b""))
        if case.config_fails and (not case.fails_in or outcome.args[0] in case.fails_in):
            assert outcome.exit_code == 2, f"{outcome.args[:3]}: exit {outcome.exit_code}"
            lines = outcome.stderr.strip().splitlines()
            assert len(lines) == 1 and "kbtool.toml" in lines[0], outcome.stderr
        elif case.config_fails:  # [rules] codes concern check alone
            assert outcome.exit_code in (0, 1), f"{outcome.args[:3]}: {outcome.stderr}"
        elif outcome.args[0] == "check" and "json" in outcome.args:
            assert json.loads(outcome.stdout)["summary"]["notes"] == case.notes


def test_runner_catches_a_hang(tmp_path: Path) -> None:
    """The guard itself can fail: a FIFO note, which blocks a naive reader, must not hang."""
    case = Case("fifo", {}, note=None)
    vault = _make_vault(tmp_path, case)
    os.mkfifo(vault / "Hostile.md")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for outcome in run_all(vault, out_dir, None):
        _assert_clean(outcome, 0)
