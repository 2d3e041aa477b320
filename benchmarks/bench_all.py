"""Every figure of issue 11, each a ratio to its baseline measured in the same run.

Each measured command runs through the command line (`python -m kbtool ...`) in
a fresh child process, so that the figures stay true whatever the code inside
does (worker processes included: their time is the child's once it reaps them).
Time is the child's CPU seconds (user + system, from `os.wait4`), peak memory
its maximum resident set. Runs alternate (baseline, measured, baseline, ...)
so that both share the machine's noise; the minimum of the repeats is kept.
The verdict is on CPU time, steadier on a shared machine, except for the two
figures whose target is to use both cores (`cold-check`, `cold-build`): a second
process lowers wall time and can only add CPU time, so those are judged by the
wall ratio, when a core was to spare before every measured run; otherwise (no
second process started, and wall seconds that measure the machine's load) by CPU,
and the verdict says so. The last column gives those idle cores
(`kbtool.base.cores`, what kbtool's own rule sees), the fewest of the repeats.
Children run with `KBTOOL_CACHE_DIR` in a scratch folder: a cold run gets an
empty one (or `--no-cache` when the command has it), a warm run the one that an
untimed run filled, and the user's cache is never touched.

    python benchmarks/bench_all.py --notes 10000 --repeat 3 --record BENCHMARKS.md
    python benchmarks/bench_all.py --notes 1000 --only cold-check warm-check
    python benchmarks/bench_all.py --scaling --notes 1000 10000 --plot docs/scaling.png

`--scaling` instead times `check` (cold, first run, warm), `graph`, `stats`,
`index` and `build` at each size and keeps the results in a JSON file (one
size can be measured at a time); the table and the log-log plot (matplotlib,
the `bench` extra) cover every size in that file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import json
import math
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType

from kbtool.base.cores import IDLE_ENOUGH  # idle cores that let a second process start

RECORD_MARKER = "<!-- bench_all.py --record: new sections go above this line -->"
HEADER = (
    "| figure | notes | measured | baseline | CPU s | baseline CPU s | ratio | target "
    "| verdict | wall s | baseline wall s | wall ratio | peak RSS MB | idle cores |"
)
RULE = "|---|---:|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"
OBSIDIANTOOLS_NOTES = 2000
STARTUP_NOTES = 10


def _bench_check() -> ModuleType:
    """The sibling bench_check module: its vault cache, floor and commit lookup."""
    folder = str(Path(__file__).resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module("bench_check")


class BenchError(Exception):
    """A measured command failed: the figure would be meaningless."""


@dataclass(frozen=True)
class Run:
    """What one child process cost."""

    cpu: float
    wall: float
    maxrss_mb: float


# Started between the harness and each measured command: Linux keeps a process's
# peak memory across fork and exec, so a command started straight from a large
# parent (pytest, say) would report the parent's peak. This launcher is a bare
# interpreter (python -S, a few MB): it forks, caps and execs the command, reaps it
# and prints its status, CPU seconds, wall seconds and peak RSS (KiB) as JSON.
LAUNCHER = """
import json, os, resource, sys, time
cap, argv = int(sys.argv[1]), sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap << 20, cap << 20))
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
print(json.dumps([code, usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss]))
"""


def run_child(
    argv: Sequence[str],
    env: dict[str, str] | None = None,
    ok: tuple[int, ...] = (0, 1),
    memory_cap_mb: int | None = None,
) -> Run:
    """Run `argv` in a new process (through LAUNCHER); its CPU time and peak memory alone.

    Exit statuses in `ok` are results (`check` exits 1 on findings); any other
    status, or a traceback on stderr, raises BenchError with the end of its stderr.
    `memory_cap_mb` limits the command's address space, so that a command that
    would take the shared machine's memory fails instead (MemoryError)."""
    with tempfile.TemporaryFile() as err:
        done = subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, str(memory_cap_mb or 0), *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            check=False,
        )
        err.seek(0)
        errors = err.read()
    try:
        code, cpu, wall, maxrss_kib = json.loads(done.stdout)
    except ValueError as exc:
        raise BenchError(f"the launcher of {shlex.join(argv)} failed: {errors[-500:]!r}") from exc
    if code not in ok or b"Traceback (most recent call last)" in errors:
        tail = errors[-1500:].decode("utf-8", "replace")
        raise BenchError(f"{shlex.join(argv)} exited {code}:\n{tail}")
    return Run(cpu, wall, maxrss_kib / 1024)


class Children:
    """Starts the measured commands, each with its own scratch cache folder."""

    def __init__(self, work: Path, memory_cap_mb: int | None = None) -> None:
        self.work = work
        self.memory_cap_mb = memory_cap_mb
        self._help: dict[str, str] = {}
        self._count = 0

    def _fresh(self, kind: str) -> Path:
        self._count += 1
        path = self.work / f"{kind}-{self._count}"
        path.mkdir(parents=True)
        return path

    def env(self, cache: Path) -> dict[str, str]:
        return {**os.environ, "KBTOOL_CACHE_DIR": str(cache)}

    def kbtool(self, args: Sequence[str], cache: Path) -> Run:
        """`python -m kbtool ARGS`; only `check` may exit 1 (findings), others exit 0."""
        return run_child(
            [sys.executable, "-m", "kbtool", *args],
            self.env(cache),
            ok=(0, 1) if args[0] == "check" else (0,),
            memory_cap_mb=self.memory_cap_mb,
        )

    def has_no_cache(self, command: str) -> bool:
        """Whether `kbtool COMMAND` takes `--no-cache` (asked of its --help)."""
        if command not in self._help:
            self._help[command] = subprocess.run(
                [sys.executable, "-m", "kbtool", command, "--help"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
        return "--no-cache" in self._help[command]

    def cold(self, command: str, args: Sequence[str]) -> Run:
        """`command` with nothing cached: `--no-cache` when it has it, else an empty cache."""
        cache = self._fresh("cache")
        try:
            flags = ["--no-cache"] if self.has_no_cache(command) else []
            return self.kbtool([command, *flags, *args], cache)
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    def warm_cache(self, command: str, args: Sequence[str]) -> Callable[[], Run]:
        """A cache folder filled by one untimed run; the returned call runs warm on it."""
        cache = self._fresh("warm")
        self.kbtool([command, *args], cache)
        return lambda: self.kbtool([command, *args], cache)

    def build(self, vault: Path) -> Run:
        """`kbtool build` into a new folder with an empty cache: a first build."""
        cache = self._fresh("cache")
        out = self._fresh("site") / "site"
        try:
            return self.kbtool(["build", str(vault), "-o", str(out)], cache)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(out.parent, ignore_errors=True)

    def floor(self, vault: Path) -> Run:
        """bench_check's naive floor (read, libyaml, markdown-it) in a child of its own."""
        return run_child([sys.executable, __file__, "--run-floor", str(vault)])


@dataclass(frozen=True)
class Figure:
    """One ratio: `measured` against `baseline`, runs alternating."""

    name: str
    notes: int
    measured: str
    baseline: str
    target: float | None
    run_measured: Callable[[], Run]
    run_baseline: Callable[[], Run]
    between: Callable[[int], None] = lambda _run: None
    #: a figure whose target is about using both cores (a second process) is judged by
    #: wall time, which is what a second process lowers; CPU time it can only raise
    both_cores: bool = False


@dataclass(frozen=True)
class Row:
    figure: Figure
    measured: Run
    baseline: Run
    idle: float | None = None  # the fewest idle cores seen before a measured run

    @property
    def ratio(self) -> float:
        return self.measured.cpu / self.baseline.cpu

    @property
    def wall_ratio(self) -> float:
        return self.measured.wall / self.baseline.wall

    def markdown(self) -> str:
        f = self.figure
        target = "-" if f.target is None else f"<= {f.target:g}"
        # by wall time only with a core to spare: else a second process never started,
        # and the wall seconds say how busy the machine was, not what kbtool costs
        by_wall = f.both_cores and self.idle is not None and self.idle >= IDLE_ENOUGH
        judged = self.wall_ratio if by_wall else self.ratio
        verdict = "-" if f.target is None else ("meets" if judged <= f.target else "MISSES")
        if f.both_cores and f.target is not None:
            verdict += " (wall)" if by_wall else " (CPU: no idle core)"
        idle = "-" if self.idle is None else f"{self.idle:.1f}"
        return (
            f"| {f.name} | {f.notes:,} | {f.measured} | {f.baseline} | {self.measured.cpu:.2f} "
            f"| {self.baseline.cpu:.2f} | {self.ratio:.3f} | {target} | {verdict} "
            f"| {self.measured.wall:.2f} | {self.baseline.wall:.2f} | {self.wall_ratio:.3f} "
            f"| {self.measured.maxrss_mb:.0f} | {idle} |"
        )


def _least(runs: list[Run]) -> Run:
    """The minimum of each figure over the repeats (each is noise upwards)."""
    return Run(min(r.cpu for r in runs), min(r.wall for r in runs), min(r.maxrss_mb for r in runs))


def measure(figure: Figure, repeat: int) -> Row:
    from kbtool.base.cores import idle_cores  # what the second process's rule sees

    measured: list[Run] = []
    baseline: list[Run] = []
    idle: list[float] = []
    for i in range(repeat):
        baseline.append(figure.run_baseline())
        figure.between(i)
        idle.append(idle_cores())
        measured.append(figure.run_measured())
    return Row(figure, _least(measured), _least(baseline), min(idle))


def _one_changed(vault: Path, work: Path) -> tuple[Path, Callable[[int], None]]:
    """A copy of `vault` and a call that appends to one of its notes (a longer tail
    each time, so that size, bytes and time all differ from what the cache saw)."""
    copy = work / "changed-vault"
    shutil.copytree(vault, copy)
    note = min(copy.rglob("*.md"))
    original = note.read_bytes()

    def change(run: int) -> None:
        note.write_bytes(original + b"\nedited" + b"!" * (run + 1) + b"\n")

    return copy, change


def figures(names: set[str], sizes: list[int], children: Children, seed: int) -> Iterator[Figure]:
    """The figures named (all when `names` is empty), built lazily: each one's untimed
    preparation runs only when its turn comes."""
    bc = _bench_check()

    def wanted(name: str) -> bool:
        return not names or name in names

    for n in sizes:
        vault = bc.cached_vault(n, seed)
        v = str(vault)
        if wanted("cold-check"):
            yield Figure(
                "cold-check",
                n,
                "check --no-cache",
                "floor (libyaml + markdown-it)",
                0.25,
                lambda v=v: children.cold("check", [v]),
                lambda vault=vault: children.floor(vault),
                both_cores=True,
            )
        if wanted("warm-check"):
            yield Figure(
                "warm-check",
                n,
                "check, nothing changed",
                "check --no-cache",
                0.05,
                children.warm_cache("check", [v]),
                lambda v=v: children.cold("check", [v]),
            )
        if wanted("warm-check-one-changed"):
            copy, change = _one_changed(vault, children.work / f"n{n}")
            c = str(copy)
            yield Figure(
                "warm-check-one-changed",
                n,
                "check, one note changed",
                "check --no-cache",
                0.1,
                children.warm_cache("check", [c]),
                lambda c=c: children.cold("check", [c]),
                change,
            )
        for name, args in (
            ("warm-index", ["index"]),
            ("warm-stats", ["stats"]),
            ("warm-graph", ["graph", "--format", "json"]),
        ):
            if wanted(name):
                command, *flags = args
                yield Figure(
                    name,
                    n,
                    f"{' '.join(args)}, warm",
                    "the same, cold",
                    0.2,
                    children.warm_cache(command, [*flags, v]),
                    lambda command=command, flags=flags, v=v: children.cold(command, [*flags, v]),
                )
        if wanted("cold-build"):
            yield Figure(
                "cold-build",
                n,
                "build (empty cache, new folder)",
                "floor (libyaml + markdown-it)",
                2.5,
                lambda vault=vault: children.build(vault),
                lambda vault=vault: children.floor(vault),
                both_cores=True,
            )
    if wanted("startup"):
        small = str(bc.cached_vault(STARTUP_NOTES, seed))
        yield Figure(
            "startup",
            STARTUP_NOTES,
            "check",
            'python -c "import yaml"',
            3.0,
            children.warm_cache("check", [small]),
            lambda: run_child([sys.executable, "-c", "import yaml"]),
        )
    if wanted("obsidiantools"):
        other = obsidiantools_python()
        if other is None:
            return
        vault = bc.cached_vault(OBSIDIANTOOLS_NOTES, seed)
        script = (
            "import sys, pathlib; from obsidiantools.api import Vault; "
            "Vault(pathlib.Path(sys.argv[1])).connect().gather()"
        )
        yield Figure(
            "obsidiantools",
            OBSIDIANTOOLS_NOTES,
            "check --no-cache",
            "obsidiantools connect().gather()",
            None,
            lambda vault=vault: children.cold("check", [str(vault)]),
            lambda vault=vault: run_child([str(other), "-c", script, str(vault)]),
        )


def obsidiantools_python() -> Path | None:
    """The interpreter of a throwaway venv (under the temp folder) with obsidiantools,
    installed from the package index on first use; None, with a message, if it fails."""
    venv = Path(tempfile.gettempdir()) / "kbtool-bench" / "obsidiantools-venv"
    python = venv / "bin" / "python"
    if (venv / "ok").exists():
        return python
    shutil.rmtree(venv, ignore_errors=True)
    steps = (
        [sys.executable, "-m", "venv", str(venv)],
        [str(python), "-m", "pip", "install", "-q", "obsidiantools"],
    )
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(f"obsidiantools: skipped ({exc})", flush=True)
            return None
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"obsidiantools: skipped ({shlex.join(step[:3])}... failed: {last})", flush=True)
            return None
    (venv / "ok").touch()
    return python


# --- the scaling run ---------------------------------------------------------------

SCALING_COMMANDS = (
    "check-cold",
    "check-first",
    "check-warm",
    "graph-json",
    "stats",
    "index",
    "build",
)
SCALING_LABELS = {
    "check-cold": "check --no-cache",
    "check-first": "check, empty cache (fills it)",
    "check-warm": "check, warm",
    "graph-json": "graph --format json, warm",
    "stats": "stats, warm",
    "index": "index, warm",
    "build": "build, empty cache",
}
MEMORY_TARGETS_MB = {"check-cold": 1024, "graph-json": 1536, "stats": 1536, "index": 1536}


def scale_once(vault: Path, children: Children, wanted: Sequence[str]) -> dict[str, Run | str]:
    """One pass over the scaling commands, in order, one at a time; graph, stats and
    index run on the cache that the first `check` filled (and their own runs added).
    A command that fails (over the memory cap, say) is kept as its error's first line."""
    v = str(vault)
    cache = children._fresh("scale")
    steps: dict[str, Callable[[], Run]] = {
        "check-cold": lambda: children.cold("check", [v]),
        "check-first": lambda: children.kbtool(["check", v], cache),
        "check-warm": lambda: children.kbtool(["check", v], cache),
        "graph-json": lambda: children.kbtool(["graph", "--format", "json", v], cache),
        "stats": lambda: children.kbtool(["stats", v], cache),
        "index": lambda: children.kbtool(["index", v], cache),
        "build": lambda: children.build(vault),
    }
    runs: dict[str, Run | str] = {}
    try:
        for name, step in steps.items():
            if name not in wanted and name != "check-first":  # the first check fills the cache
                continue
            try:
                run: Run | str = step()
            except BenchError as exc:
                run = str(exc).splitlines()[0][:200]
            if name in wanted:
                runs[name] = run
                shown = (
                    run if isinstance(run, str) else f"{run.cpu:.2f} CPU s, {run.maxrss_mb:.0f} MB"
                )
                print(
                    f"  {SCALING_LABELS[name]} at {vault.name}: {shown}",
                    flush=True,
                )
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return runs


def load_results(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    data = json.loads(path.read_text("utf-8"))
    return list(data) if isinstance(data, list) else []


def save_results(
    path: Path, results: list[dict[str, object]], new: list[dict[str, object]]
) -> None:
    """Keep one result per (command, notes): a new measurement replaces the old."""
    fresh = {(r["command"], r["notes"]) for r in new}
    kept = [r for r in results if (r["command"], r["notes"]) not in fresh] + new
    kept.sort(key=lambda r: (SCALING_COMMANDS.index(str(r["command"])), int(str(r["notes"]))))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(kept, indent=1) + "\n", "utf-8")


def _by_command(results: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for r in results:
        if "failed" in r:
            continue
        out.setdefault(str(r["command"]), []).append(r)
    for rows in out.values():
        rows.sort(key=lambda r: int(str(r["notes"])))
    return out


def growth(rows: list[dict[str, object]], base: int = 10000) -> float | None:
    """Per-note CPU time at the largest size over that at `base` notes: 1.0 is
    linear, about 10 at ten times the notes is quadratic. None without both."""
    at = {int(str(r["notes"])): float(str(r["cpu"])) for r in rows}
    top = max(at, default=0)
    if base not in at or top <= base:
        return None
    return (at[top] / top) / (at[base] / base)


def _growth_ratio(rows: list[dict[str, object]], hi: int, lo: int) -> float | None:
    return growth([r for r in rows if int(str(r["notes"])) <= hi], lo)


def _verdict(rows: list[dict[str, object]]) -> str:
    """Linear when the per-note time stays within 30% from 10k up (or, with only
    1k and 10k measured, from 1k to 10k, where start-up makes 1k's dearer)."""
    g = growth(rows)
    if g is None:
        g = _growth_ratio(rows, 10000, 1000)
    if g is None:
        return "-"
    return "linear" if g <= 1.3 else "GROWS FASTER"


def scaling_tables(results: list[dict[str, object]]) -> str:
    """The full table (each command at each size) and the summary (growth, memory)."""
    lines = [
        "| command | notes | CPU s | wall s | peak RSS MB | CPU ms/note | commit |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    grouped = _by_command(results)
    for command, rows in grouped.items():
        for r in rows:
            n = int(str(r["notes"]))
            cpu = float(str(r["cpu"]))
            lines.append(
                f"| {SCALING_LABELS[command]} | {n:,} | {cpu:.2f} | {float(str(r['wall'])):.2f} "
                f"| {float(str(r['maxrss_mb'])):.0f} | {1000 * cpu / n:.3f} | {r['commit']} |"
            )
    lines += [
        "",
        "| command | sizes | per-note CPU, 10k / 1k | per-note CPU, largest / 10k | linear? "
        "| peak RSS at largest MB | memory target MB |",
        "|---|---|---:|---:|---|---:|---|",
    ]
    for command, rows in grouped.items():
        g = growth(rows)
        small = _growth_ratio(rows, 10000, 1000)
        verdict = _verdict(rows)
        target = MEMORY_TARGETS_MB.get(command)
        peak = float(str(rows[-1]["maxrss_mb"]))
        mem = "-" if target is None else f"< {target} ({'meets' if peak < target else 'MISSES'})"
        sizes = ", ".join(f"{int(str(r['notes'])):,}" for r in rows)
        shown = " | ".join("-" if x is None else f"{x:.2f}" for x in (small, g))
        lines.append(
            f"| {SCALING_LABELS[command]} | {sizes} | {shown} | {verdict} | {peak:.0f} | {mem} |"
        )
    failed = [r for r in results if "failed" in r]
    if failed:
        lines.append("")
    for r in failed:
        n = int(str(r["notes"]))
        lines.append(f"- not measured: {SCALING_LABELS[str(r['command'])]} at {n:,}: {r['failed']}")
    return "\n".join(lines)


def plot(results: list[dict[str, object]], out: Path) -> None:
    """Log-log CPU time and peak memory against notes, one line per command, with a
    dashed line of slope 1 (linear growth) through the middle of each panel."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grouped = _by_command(results)
    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    for ax, key, label in (
        (axes[0], "cpu", "CPU seconds"),
        (axes[1], "maxrss_mb", "peak RSS (MB)"),
    ):
        every: list[tuple[int, float]] = []
        for command, rows in grouped.items():
            xs = [int(str(r["notes"])) for r in rows]
            ys = [float(str(r[key])) for r in rows]
            every += zip(xs, ys, strict=True)
            ax.plot(xs, ys, marker="o", label=SCALING_LABELS[command])
        if every:
            lo, hi = min(x for x, _ in every), max(x for x, _ in every)
            mid = math.exp(sum(math.log(y / x) for x, y in every) / len(every))
            ax.plot([lo, hi], [mid * lo, mid * hi], "k--", linewidth=1, label="slope 1 (linear)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("notes")
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_title("time")
    axes[1].set_title("memory")
    axes[1].legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100)
    plt.close(fig)


def scaling(args: argparse.Namespace, children: Children) -> str:
    bc = _bench_check()
    wanted = [c for c in SCALING_COMMANDS if not args.only or c in args.only]
    results = load_results(args.results)
    for n in args.notes:
        vault = bc.cached_vault(n, args.seed)
        passes = [scale_once(vault, children, wanted) for _ in range(args.repeat)]
        new: list[dict[str, object]] = []
        for command in wanted:
            done = [p[command] for p in passes]
            measured = [r for r in done if isinstance(r, Run)]
            entry: dict[str, object] = {"command": command, "notes": n, "commit": bc._commit()}
            if len(measured) < len(done):
                entry["failed"] = next(r for r in done if isinstance(r, str))
            else:
                entry.update(asdict(_least(measured)))
            new.append(entry)
        save_results(args.results, results, new)
        results = load_results(args.results)
    if args.plot:
        plot(results, args.plot)
    return scaling_tables(results)


# --- recording ---------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores (nproc), {model}, Python {platform.python_version()}, "
        f"load average {load} at the start"
    )


def section(title: str, command: str, body: str, commit: str, about: str) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"### {title}, {when}\n\nCommit {commit}; {about}.\n\n```sh\n{command}\n```\n\n{body}\n"


def record(md_path: Path, text: str) -> None:
    """Put a recorded section above the marker in `md_path` (at its end when it has none)."""
    old = md_path.read_text("utf-8") if md_path.exists() else ""
    if RECORD_MARKER in old:
        head, tail = old.split(RECORD_MARKER, 1)
        new = head + text + "\n" + RECORD_MARKER + tail
    else:
        new = old.rstrip("\n") + "\n\n" + text
    md_path.write_text(new, "utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[10000], help="vault sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the least is kept")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument(
        "--only", nargs="+", default=[], help="figure names (or scaling commands) to measure"
    )
    parser.add_argument("--record", type=Path, help="add a dated section to this Markdown file")
    parser.add_argument("--scaling", action="store_true", help="the scaling run instead")
    parser.add_argument(
        "--results",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kbtool-bench" / "scaling.json",
        help="scaling: where results accumulate across runs",
    )
    parser.add_argument("--plot", type=Path, help="scaling: write the PNG plot here")
    parser.add_argument(
        "--memory-cap",
        type=int,
        default=8000,
        metavar="MB",
        help="address-space cap of each kbtool child (the machine is shared); 0: none",
    )
    parser.add_argument("--run-floor", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.run_floor:  # the child that measures the floor
        _bench_check().baseline(args.run_floor)
        return 0
    argv = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "benchmarks/bench_all.py", *argv])
    commit = _bench_check()._commit()
    about = machine()
    print(about, flush=True)
    work = Path(tempfile.mkdtemp(prefix="kbtool-bench-all-"))
    children = Children(work, args.memory_cap or None)
    try:
        if args.scaling:
            body = scaling(args, children)
            print(body)
            title = "Scaling"
        else:
            known = {*_FIGURE_NAMES}
            unknown = set(args.only) - known
            if unknown:
                print(f"bench_all: unknown figure {sorted(unknown)}; known: {sorted(known)}")
                return 2
            print(HEADER, RULE, sep="\n", flush=True)
            rows = []
            for figure in figures(set(args.only), args.notes, children, args.seed):
                row = measure(figure, args.repeat)
                print(row.markdown(), flush=True)
                rows.append(row.markdown())
            body = "\n".join([HEADER, RULE, *rows])
            title = "Issue 11 figures"
    except BenchError as exc:
        print(f"bench_all: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.record:
        record(args.record, section(title, command, body, commit, about))
    return 0


_FIGURE_NAMES = (
    "cold-check",
    "warm-check",
    "warm-check-one-changed",
    "warm-index",
    "warm-stats",
    "warm-graph",
    "cold-build",
    "startup",
    "obsidiantools",
)


if __name__ == "__main__":
    sys.exit(main())
