"""How many of this process's cores other work leaves idle right now.

A second process (the parse worker, the site's render workers) only pays when a core
is idle: on a busy machine it waits for a core and the shipping is lost. The
1-minute load average answers late and counts this very process (and whatever ran
just before it, such as a benchmark's previous run), so a build that has been
parsing for a while finds "no idle core" on an otherwise quiet machine. Instead the
idle time of each usable CPU is sampled from `/proc/stat` over a tenth of a second
while this process sleeps, so only other work is counted. Where `/proc/stat` cannot
be read, the load average stands in.

A sample serves the decisions of the next few seconds (`FRESH_SECONDS`): right after
a load that had a worker, a new one would count that worker as other work, and the
check deciding whether to run its rules in two processes would wait for nothing.

A sample may also be begun early (`begin_sample`, when a vault's listing starts) and
ended at the decision: the listing's own time is then the window, this process's CPU
time over it is counted as idle (it is not other work), and only what is left of the
tenth of a second is slept.
"""

from __future__ import annotations

import os
import time

#: How long the idle time is sampled: ten clock ticks on Linux (USER_HZ is 100).
SAMPLE_SECONDS = 0.1
#: How long a sample answers `a_core_is_idle`.
FRESH_SECONDS = 5.0
_STAT = "/proc/stat"
_recent: tuple[float, float] | None = None  # (monotonic time, idle cores) of the last sample
_begun: tuple[float, float, str] | None = None  # (monotonic time, own CPU s, /proc/stat text)


def usable_cores() -> int:
    """The cores this process may run on (its affinity), else every core."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _cpu_times(text: str, cpus: set[int]) -> dict[int, tuple[int, int]]:
    """Per usable CPU of a `/proc/stat` text: (idle ticks incl. iowait, all ticks)."""
    times: dict[int, tuple[int, int]] = {}
    for line in text.splitlines():
        name, _, rest = line.partition(" ")
        if not name.startswith("cpu") or name == "cpu":
            continue
        try:
            cpu = int(name[3:])
            ticks = [int(field) for field in rest.split()]
        except ValueError:
            continue
        if cpu in cpus and len(ticks) >= 4:
            idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
            # guest time is already counted in user time
            times[cpu] = (idle, sum(ticks[:8]))
    return times


def idle_between(before: str, after: str, cpus: set[int]) -> float | None:
    """Idle cores between two `/proc/stat` texts: the sum of each usable CPU's idle
    share of its ticks; None when they tell nothing (no usable CPU, no tick passed)."""
    first, second = _cpu_times(before, cpus), _cpu_times(after, cpus)
    idle = 0.0
    counted = False
    for cpu, (idle_then, total_then) in first.items():
        if cpu not in second:
            continue
        idle_now, total_now = second[cpu]
        if total_now > total_then:
            idle += min(1.0, max(0.0, (idle_now - idle_then) / (total_now - total_then)))
            counted = True
    return idle if counted else None


def _read_stat() -> str | None:
    try:
        with open(_STAT, encoding="ascii") as f:
            return f.read()
    except (OSError, ValueError):
        return None


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def begin_sample() -> None:
    """Start the next sample now: the work done until it is needed is its window."""
    global _begun
    text = _read_stat()
    _begun = None if text is None else (time.monotonic(), _own_cpu(), text)


def idle_cores(sample: float = SAMPLE_SECONDS) -> float:
    """How many usable cores other processes left idle over the last `sample` seconds
    (or since `begin_sample`, this process's own CPU time counted as idle); from the
    load average where `/proc/stat` cannot be read."""
    global _begun
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    begun, _begun = _begun, None
    if begun is None:
        before, since, own_before = _read_stat(), time.monotonic(), _own_cpu()
    else:
        since, own_before, before = begun
    time.sleep(max(0.0, sample - (time.monotonic() - since)))
    after, window, own = _read_stat(), time.monotonic() - since, _own_cpu() - own_before
    idle = None if before is None or after is None else idle_between(before, after, cpus)
    if idle is not None:
        idle = min(float(max(len(cpus), 1)), idle + own / max(window, 1e-9))
    else:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float(usable_cores())
        idle = max(0.0, usable_cores() - load)
    return idle


#: Idle cores that make a second process pay. This process sleeps while sampling, so
#: the core it runs on counts as idle too: two cores, the second at least half free of
#: other work.
IDLE_ENOUGH = 1.5


def recent_idle_cores() -> float:
    """`idle_cores()`, sampled afresh only when the last sample is over `FRESH_SECONDS` old."""
    global _recent
    if _recent is None or time.monotonic() - _recent[0] > FRESH_SECONDS:
        _recent = (time.monotonic(), idle_cores())
    return _recent[1]


def a_core_is_idle(idle: float | None = None) -> bool:
    """Whether, besides the core this process runs on, one is (at least half) idle
    (`idle`: the idle cores; a recent sample when None)."""
    return (recent_idle_cores() if idle is None else idle) >= IDLE_ENOUGH
