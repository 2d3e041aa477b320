"""Notes rendered in worker processes: the same site, byte for byte, as one process writes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kbtool.site.builder import PARALLEL_NOTES, build_site, worker_count
from kbtool.vault.load import load_vault
from tests.site_vault import NOTES, write_vault


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_two_workers_write_the_site_one_process_writes(tmp_path: Path) -> None:
    notes = dict(NOTES)
    for i in range(23):  # enough notes for several chunks per worker
        notes[f"Many/N{i}.md"] = (
            f"---\ntags: [many/n{i % 3}]\n---\n# N{i}\n\n## Part\n\nSee [[N{(i + 1) % 23}#Part]],"
            f" [[Target Note#Alpha#Beta]] and [[Missing {i}]].\n\n![[N{(i + 2) % 23}#Part]]\n"
        )
    vault = write_vault(tmp_path / "vault", notes)
    today = dt.date(2026, 3, 1)
    one = build_site(load_vault(vault), tmp_path / "one", today=today, workers=1)
    two = build_site(load_vault(vault), tmp_path / "two", today=today, workers=2)
    assert (one.workers, two.workers) == (1, 2)
    assert (
        two.rendered == one.rendered and two.pages == one.pages == 42
    )  # 27 notes, 2 folders, 7 tags, 6 more
    assert two.findings == one.findings
    assert _tree(tmp_path / "two") == _tree(tmp_path / "one")  # the build state included
    again = build_site(load_vault(vault), tmp_path / "two", today=today, workers=2)
    assert again.rendered == []


def test_workers_start_only_for_a_large_build_on_idle_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert worker_count(None, PARALLEL_NOTES - 1, idle=2.0) == 1
    assert worker_count(None, PARALLEL_NOTES, idle=1.7) == 2
    assert worker_count(None, PARALLEL_NOTES, idle=1.1) == 1  # the other core is busy
    assert worker_count(3, 10) == 3 and worker_count(0, 10**6) == 1
