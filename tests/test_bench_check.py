"""The benchmark script's plumbing: vault cache, baseline work and result recording (no timing)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from benchmark_scripts import load_script

bc = load_script("bench_check")


def test_cached_vault_is_generated_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first = bc.cached_vault(20, 1)
    assert len(list(first.rglob("*.md"))) == 20
    marker = first / "marker.txt"
    marker.write_text("kept\n")
    assert bc.cached_vault(20, 1) == first and marker.exists()
    assert bc.cached_vault(20, 2) != first
    assert [p.name for p in (tmp_path / "kbtool-bench").iterdir() if "." in p.name] == []


def test_baseline_reads_every_note(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "One.md").write_text("---\ntitle: One\n---\n\n# One\n\ntext\n")
    (tmp_path / "Two.md").write_text("no frontmatter\n")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    # heading_open, inline, heading_close, paragraph_open, inline, paragraph_close: 6 + 3
    assert bc.baseline(tmp_path) == 9


def test_record_appends_rows_after_the_table(tmp_path: Path) -> None:
    md = tmp_path / "BENCHMARKS.md"
    md.write_text(f"# B\n\n{bc.RESULTS_MARKER}\n| n | s |\n|---|---|\n| 1 | 2 |\n\nafter\n")
    bc.record(md, ["| 3 | 4 |"])
    assert md.read_text().endswith("| 1 | 2 |\n| 3 | 4 |\n\nafter\n")
