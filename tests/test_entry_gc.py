"""The console entry point runs a one-shot command without cyclic garbage collection.

kbtool's notes, links and findings hold no reference cycles, so reference counting
frees them; a collection would only walk every note still in use. `kbtool serve`
runs until stopped and keeps the collector.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kbtool.cli import run

LINKS = Path(__file__).parent / "fixtures" / "links"


@pytest.fixture
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()


def _collections() -> int:
    return sum(generation["collections"] for generation in gc.get_stats())


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["kbtool", *args])
    with pytest.raises(SystemExit) as stopped:
        run()
    return int(stopped.value.code or 0)


def test_a_check_runs_with_no_collection(
    monkeypatch: pytest.MonkeyPatch, collector_restored: None, capsys: pytest.CaptureFixture[str]
) -> None:
    gc.enable()
    before = _collections()
    code = _run(monkeypatch, "check", "--no-cache", "--output-format", "concise", str(LINKS))
    assert code == 1  # the fixture has broken links: the command really ran
    assert "KB201" in capsys.readouterr().out
    assert not gc.isenabled()
    assert _collections() == before


def test_serve_keeps_the_collector(
    monkeypatch: pytest.MonkeyPatch, collector_restored: None, capsys: pytest.CaptureFixture[str]
) -> None:
    gc.enable()
    assert _run(monkeypatch, "serve", "--help") == 0
    assert "127.0.0.1" in capsys.readouterr().out
    assert gc.isenabled()
