"""Idle cores from `/proc/stat`: what other work leaves free, not the load average."""

from __future__ import annotations

import pytest

from kbtool.base import cores

BEFORE = """cpu  3000 0 1000 5000 100 0 10 0 0 0
cpu0 1000 0 500 2000 50 0 5 0 0 0
cpu1 2000 0 500 3000 50 0 5 0 0 0
intr 1 2 3
ctxt 99
"""
# cpu0: 10 ticks, 9 idle (1 of them iowait); cpu1: 10 ticks, 2 idle
AFTER = """cpu  3009 0 1000 5010 101 0 10 0 0 0
cpu0 1001 0 500 2008 51 0 5 0 0 0
cpu1 2008 0 500 3002 50 0 5 0 0 0
intr 1 2 3
ctxt 120
"""


def test_idle_is_each_usable_cpus_idle_share_summed() -> None:
    assert cores.idle_between(BEFORE, AFTER, {0, 1}) == pytest.approx(0.9 + 0.2)
    assert cores.idle_between(BEFORE, AFTER, {0}) == pytest.approx(0.9)
    assert cores.idle_between(BEFORE, AFTER, {1}) == pytest.approx(0.2)


def test_no_usable_cpu_or_no_tick_tells_nothing() -> None:
    assert cores.idle_between(BEFORE, AFTER, {7}) is None
    assert cores.idle_between(BEFORE, BEFORE, {0, 1}) is None
    assert cores.idle_between("garbage\ncpuX 1 2\n", "cpu0 a b c d\n", {0}) is None


def test_a_second_process_pays_only_when_a_core_is_mostly_free() -> None:
    assert cores.a_core_is_idle(2.0)
    assert cores.a_core_is_idle(1.5)
    assert not cores.a_core_is_idle(1.3)


def test_unreadable_proc_stat_falls_back_to_the_load_average(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cores, "_STAT", "/nonexistent/stat")
    monkeypatch.setattr(cores.os, "getloadavg", lambda: (0.25, 0.0, 0.0))
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    assert cores.idle_cores(sample=0.0) == pytest.approx(1.75)


def test_this_machine_reports_between_none_and_every_core() -> None:
    idle = cores.idle_cores()
    assert 0.0 <= idle <= cores.usable_cores()


def test_a_recent_sample_answers_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """One sample serves the load's decision and the check's right after it."""
    samples: list[float] = []

    def sample(sample: float = cores.SAMPLE_SECONDS) -> float:
        samples.append(sample)
        return 2.0 if len(samples) == 1 else 0.0

    clock = [1000.0]
    monkeypatch.setattr(cores, "idle_cores", sample)
    monkeypatch.setattr(cores.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(cores, "_recent", None)
    assert cores.a_core_is_idle()
    clock[0] += cores.FRESH_SECONDS - 1
    assert cores.a_core_is_idle()  # the same sample
    assert len(samples) == 1
    clock[0] += 2
    assert not cores.a_core_is_idle()  # sampled again: now busy
    assert len(samples) == 2


def test_a_sample_begun_early_counts_this_process_as_idle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The listing's time is the window: no sleep when it lasted a tenth of a second,
    and the CPU this process spent meanwhile is not other work."""
    texts = iter([BEFORE, AFTER])
    cpu = iter([1.0, 1.05])
    clock = iter([50.0, 50.1, 50.1])
    slept: list[float] = []
    monkeypatch.setattr(cores, "_read_stat", lambda: next(texts))
    monkeypatch.setattr(cores, "_own_cpu", lambda: next(cpu))
    monkeypatch.setattr(cores.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(cores.time, "sleep", slept.append)
    monkeypatch.setattr(cores.os, "sched_getaffinity", lambda _pid: {0, 1})
    cores.begin_sample()
    idle = cores.idle_cores()
    assert slept == [0.0]
    # the other work left 1.1 cores idle; this process used half of one over the window
    assert idle == pytest.approx(1.1 + 0.5)
