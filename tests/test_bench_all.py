"""bench_all's plumbing: a child's own cost, the printed ratios, the recorded section, the
growth verdict (no timing is asserted: the figures themselves are the script's output)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from benchmark_scripts import BENCHMARKS, load_script

ba = load_script("bench_all")


def test_a_child_reports_its_own_peak_memory() -> None:
    ballast = b"x" * (300 * 1024 * 1024)  # Linux keeps a parent's peak across fork and exec
    big = ba.run_child([sys.executable, "-c", "x = b'x' * (200 * 1024 * 1024)"])
    small = ba.run_child([sys.executable, "-c", "pass"])
    assert big.maxrss_mb >= 200
    assert small.maxrss_mb < 100  # neither this process's peak nor the earlier child's
    del ballast
    assert small.cpu > 0 and small.wall > 0


def test_a_failing_command_is_an_error_and_exit_1_a_result() -> None:
    assert ba.run_child([sys.executable, "-c", "raise SystemExit(1)"]).cpu > 0
    with pytest.raises(ba.BenchError, match=r"exited 3:\n.*boom"):
        ba.run_child(
            [sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"]
        )


def _rows(out: str) -> list[list[str]]:
    rows = []
    for line in out.splitlines():
        if line.startswith("| ") and not line.startswith("| figure "):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_every_figure_prints_a_ratio_and_record_writes_the_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # vaults and scratch caches
    md = tmp_path / "BENCHMARKS.md"
    md.write_text(f"# B\n\n## Issue 11 figures\n\n{ba.RECORD_MARKER}\n\n## Later\n")
    argv = ["--notes", "20", "--repeat", "1", "--only", "cold-check", "warm-check", "startup"]
    assert ba.main([*argv, "--record", str(md)]) == 0
    rows = _rows(capsys.readouterr().out)
    assert [(r[0], r[1]) for r in rows] == [
        ("cold-check", "20"),
        ("warm-check", "20"),
        ("startup", "10"),
    ]
    for row in rows:
        for took_at, base_at, ratio_at in ((4, 5, 6), (9, 10, 11)):  # CPU, then wall
            took, base, ratio = float(row[took_at]), float(row[base_at]), float(row[ratio_at])
            assert math.isfinite(ratio) and ratio > 0
            # the seconds are printed to 0.01, so the ratio lies within their rounding
            assert (took - 0.005) / (base + 0.005) <= ratio <= (took + 0.005) / (base - 0.005)
        assert 0.0 <= float(row[13]) <= os.cpu_count()  # idle cores
    # the cold check's target is about using both cores: judged by its wall ratio when
    # a core was idle, else by CPU, and the verdict says which
    cold = rows[0]
    if float(cold[13]) >= ba.IDLE_ENOUGH:
        assert cold[8] == ("meets (wall)" if float(cold[11]) <= 0.25 else "MISSES (wall)")
    else:
        expected = "meets" if float(cold[6]) <= 0.25 else "MISSES"
        assert cold[8] == f"{expected} (CPU: no idle core)"
    assert rows[1][8] == ("meets" if float(rows[1][6]) <= 0.05 else "MISSES")
    text = md.read_text()
    head = subprocess.run(
        ["git", "-C", str(BENCHMARKS.parent), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    section = text.split("## Issue 11 figures\n\n", 1)[1].split(ba.RECORD_MARKER)[0]
    assert section.startswith("### Issue 11 figures, ")
    assert f"Commit {head}" in section
    assert f"python benchmarks/bench_all.py {' '.join(argv)} --record {md}\n" in section
    assert "cores (nproc)" in section and "Python 3." in section
    assert len(_rows(section)) == 3
    assert text.endswith(f"{ba.RECORD_MARKER}\n\n## Later\n")  # the marker stays for the next


def test_record_without_marker_appends_at_the_end(tmp_path: Path) -> None:
    md = tmp_path / "B.md"
    md.write_text("# B\n\ntext\n\n")
    ba.record(md, "### S\n\nbody\n")
    assert md.read_text() == "# B\n\ntext\n\n### S\n\nbody\n"


def _result(command: str, notes: int, cpu: float) -> dict[str, object]:
    return {
        "command": command,
        "notes": notes,
        "cpu": cpu,
        "wall": cpu,
        "maxrss_mb": 50.0,
        "commit": "abc",
    }


def test_growth_tells_linear_from_quadratic() -> None:
    linear = [_result("stats", n, n / 1000) for n in (1000, 10000, 50000, 100000)]
    quadratic = [_result("index", n, (n / 1000) ** 2 / 100) for n in (1000, 10000, 100000)]
    assert ba.growth(linear) == pytest.approx(1.0)
    assert ba.growth(quadratic) == pytest.approx(10.0)
    assert ba.growth(linear[:2]) is None  # one size from 10,000 up: nothing to compare
    table = ba.scaling_tables(linear + quadratic)
    assert "| stats, warm | 1,000, 10,000, 50,000, 100,000 | 1.00 | 1.00 | linear |" in table
    assert "| index, warm | 1,000, 10,000, 100,000 | 10.00 | 10.00 | GROWS FASTER |" in table
    only_small = ba.scaling_tables(quadratic[:2])  # 1k and 10k: judged on those
    assert "| index, warm | 1,000, 10,000 | 10.00 | - | GROWS FASTER |" in only_small


def test_a_child_over_the_memory_cap_fails_instead_of_taking_the_machine() -> None:
    hog = [sys.executable, "-c", "x = b'x' * (600 * 1024 * 1024)"]
    with pytest.raises(ba.BenchError, match="MemoryError"):
        ba.run_child(hog, memory_cap_mb=400)


def test_a_failed_measurement_is_listed_not_plotted() -> None:
    results = [
        _result("stats", 10000, 10.0),
        _result("stats", 100000, 100.0),
        {"command": "index", "notes": 100000, "commit": "abc", "failed": "exited 1: MemoryError"},
    ]
    table = ba.scaling_tables(results)
    assert "- not measured: index, warm at 100,000: exited 1: MemoryError" in table
    assert "| index, warm |" not in table
