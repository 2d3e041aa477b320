"""Time `kbtool check` against the cheapest honest alternative, in one process.

The baseline is what any tool that reads a vault must at least do: read every
note, load its frontmatter with libyaml's C loader and tokenise its body with
markdown-it-py. kbtool is `load_vault()` + `check()` (links and graph included), no
cache: what `kbtool check --no-cache` does. The target is kbtool <= 0.5 x the
baseline. Runs alternate (baseline, kbtool, baseline, ...) so both share the
machine's noise; the minimum of the repeats is reported.

    python benchmarks/bench_check.py --notes 1000 10000 --repeat 3 --record BENCHMARKS.md
    python benchmarks/bench_check.py --notes 10000 --profile 30
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import importlib.util
import io
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import yaml
from markdown_it import MarkdownIt

RESULTS_MARKER = "<!-- results: bench_check.py --record appends rows below -->"
TARGET_RATIO = 0.5


def _generator() -> ModuleType:
    """The sibling generator module, loaded by path so that no package is needed."""
    path = Path(__file__).resolve().parent / "generate_vault.py"
    spec = importlib.util.spec_from_file_location("generate_vault", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def cached_vault(n: int, seed: int) -> Path:
    """A generated vault under the temp folder, keyed by generator version, n and seed."""
    gen = _generator()
    base = Path(tempfile.gettempdir()) / "kbtool-bench"
    key = f"g{gen.GENERATOR_VERSION}-n{n}-s{seed}"
    vault = base / key
    if vault.is_dir():
        return vault
    base.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=key + ".", dir=base))
    gen.generate(n, partial, seed)
    os.replace(partial, vault)  # complete or absent, never half-written
    return vault


def _note_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        found += [Path(folder, f) for f in sorted(files) if f.endswith(".md")]
    return found


def baseline(root: Path) -> int:
    """Read, YAML-load (C loader) and markdown-it-tokenise every note; return token count."""
    md = MarkdownIt("commonmark")
    tokens = 0
    for path in _note_files(root):
        text = path.read_text(encoding="utf-8")
        body = text
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            if end >= 0:
                yaml.load(text[4 : end + 1], Loader=yaml.CSafeLoader)
                body = text[end + 5 :]
        tokens += len(md.parse(body))
    return tokens


def kbtool_check(root: Path) -> tuple[Counter[str], bool]:
    """What `kbtool check --no-cache` does: load, then every default rule (links and
    graph included). Returns the diagnostics by code and whether the graph was built."""
    from kbtool.lint.engine import check
    from kbtool.vault.load import load_vault

    vault = load_vault(root)
    result = check(vault)
    return Counter(d.code for d in result.diagnostics), "graph" in vault.__dict__


def _timed(fn: Callable[[Path], object], root: Path) -> float:
    gc.collect()
    start = time.perf_counter()
    fn(root)
    return time.perf_counter() - start


def measure(root: Path, repeat: int) -> tuple[float, float]:
    """Min-of-repeats seconds for (baseline, kbtool), runs alternating."""
    for path in _note_files(root):  # warm the page cache for both alike
        path.read_bytes()
    base_times: list[float] = []
    kb_times: list[float] = []
    for _ in range(repeat):
        base_times.append(_timed(baseline, root))
        kb_times.append(_timed(kbtool_check, root))
    return min(base_times), min(kb_times)


def profile(root: Path, top: int) -> str:
    """cProfile of one kbtool run, the `top` entries by cumulative and by own time."""
    profiler = cProfile.Profile()
    profiler.runcall(kbtool_check, root)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def _commit() -> str:
    """The repo's short HEAD (with `+` when files differ from it), or `-` outside git."""
    repo = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no", "kbtool"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "-"
    return head + ("+" if dirty else "")


def _row(n: int, base: float, kb: float) -> str:
    return (
        f"| {n:,} | {base:.2f} | {kb:.2f} | {kb / base:.2f} | {_commit()} "
        f"| {dt.date.today().isoformat()} | {os.cpu_count()} | {platform.python_version()} |"
    )


def record(md_path: Path, rows: list[str]) -> None:
    """Append result rows to the table that follows the marker in BENCHMARKS.md."""
    lines = md_path.read_text(encoding="utf-8").split("\n")
    at = lines.index(RESULTS_MARKER) + 1
    while at < len(lines) and lines[at].startswith("|"):
        at += 1
    lines[at:at] = rows
    md_path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[10000], help="vault sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, min is kept")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--record", type=Path, help="append the result rows to this file")
    parser.add_argument("--profile", type=int, metavar="TOP", help="also profile kbtool")
    args = parser.parse_args(argv)
    rows: list[str] = []
    for n in args.notes:
        root = cached_vault(n, args.seed)
        codes, graph = kbtool_check(root)  # warm-up, and a check that links were checked
        print(f"{n} notes at {root}; graph built: {graph}; {dict(sorted(codes.items()))}")
        base, kb = measure(root, args.repeat)
        verdict = "meets" if kb / base <= TARGET_RATIO else "MISSES"
        print(f"  baseline {base:.2f}s  kbtool {kb:.2f}s  ratio {kb / base:.2f} ({verdict} target)")
        rows.append(_row(n, base, kb))
        if args.profile:
            print(profile(root, args.profile))
    print("\n".join(rows))
    if args.record:
        record(args.record, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
