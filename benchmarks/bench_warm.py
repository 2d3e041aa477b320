"""Time a warm `kbtool check` against a cold one, in CPU seconds, on generated vaults.

Three runs per vault size, alternating so that all share the machine's noise, the
minimum of the repeats kept:

- **cold**: `check --no-cache`: list, read and parse every note, resolve, every rule;
- **warm, nothing changed**: `check` after a run that filled the cache;
- **warm, one note changed**: `check` after another note was edited (a line added,
  then removed, so each run sees one changed note).

Each is timed twice: in this process (`scan_vault` + `cached_check`, what the command
runs after its imports) and as the command itself, `python -m kbtool check`, in a
child process (CPU time of the child, imports included). The vault is a copy of the
generated one (its files keep their old modification times), with a private cache
folder.

    python benchmarks/bench_warm.py --notes 1000 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import cached_vault  # a sibling script: benchmarks/ is no package


def _cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def _child_cpu(command: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class Bench:
    """One vault copy, its cache folder, and the note that the one-change runs edit."""

    def __init__(self, source: Path, work: Path) -> None:
        self.root = work / "vault"
        shutil.copytree(source, self.root)  # copy2: the files keep their times
        os.environ["KBTOOL_CACHE_DIR"] = str(work / "cache")
        self.env = {**os.environ}
        self.edited = sorted(self.root.rglob("*.md"))[len(list(self.root.rglob("*.md"))) // 2]
        self.original = self.edited.read_bytes()
        self.flip = False

    def edit(self) -> None:
        self.flip = not self.flip
        extra = b"\nOne more line with [[a link nowhere]].\n" if self.flip else b""
        self.edited.write_bytes(self.original + extra)

    def settle(self) -> None:
        """Wait into the next second, so that the edited file is not racily clean for the
        run that follows the one that saw it (a save, then checks seconds apart)."""
        time.sleep(1.05 - (time.time() % 1))

    def cold_lib(self) -> None:
        from kbtool.lint.engine import check
        from kbtool.vault.load import load_vault

        check(load_vault(self.root))

    def warm_lib(self) -> None:
        from kbtool.lint.warm import cached_check
        from kbtool.vault.load import scan_vault

        cached_check(scan_vault(self.root))

    def command(self, *more: str) -> list[str]:
        return [sys.executable, "-m", "kbtool", "check", str(self.root), "--exit-zero", *more]


def measure(source: Path, repeat: int) -> dict[str, float]:
    times: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        times.setdefault(name, []).append(seconds)

    with tempfile.TemporaryDirectory(prefix="kbtool-warm-") as work:
        bench = Bench(source, Path(work))
        bench.warm_lib()  # fill the cache, and warm the page cache
        bench.settle()
        for _ in range(repeat):
            add("cold", _cpu(bench.cold_lib))
            bench.warm_lib()
            add("nothing", _cpu(bench.warm_lib))
            bench.edit()
            bench.settle()
            add("one", _cpu(bench.warm_lib))
            bench.settle()
            add("cmd cold", _child_cpu(bench.command("--no-cache"), bench.env))
            add("cmd nothing", _child_cpu(bench.command(), bench.env))
            bench.edit()
            bench.settle()
            add("cmd one", _child_cpu(bench.command(), bench.env))
            bench.settle()
        bench.edited.write_bytes(bench.original)
    return {name: min(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[1000], help="vault sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, min is kept")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    args = parser.parse_args(argv)
    print("| notes | run | cold CPU s | warm: nothing changed | ratio | one changed | ratio |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n in args.notes:
        source = cached_vault(n, args.seed)
        got = measure(source, args.repeat)
        for label, prefix in (("in process", ""), ("command", "cmd ")):
            cold, nothing, one = (got[prefix + k] for k in ("cold", "nothing", "one"))
            print(
                f"| {n:,} | {label} | {cold:.2f} | {nothing:.3f} | {nothing / cold:.3f} "
                f"| {one:.2f} | {one / cold:.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
