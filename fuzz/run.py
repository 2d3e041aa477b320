"""Run the fuzz targets for a time budget: `python -m fuzz.run --seconds 60`.

Each target (fuzz/targets.py) runs in its own process under atheris (libFuzzer,
coverage-guided), or, where atheris is not installed (it ships wheels for Linux
x86-64 only), under hypothesis with random bytes for the same time. The seeds are
fuzz/regressions/<target>/*, the inputs that once crashed, which every run
replays first. A crash writes its input to fuzz/crashes/<target>/ and the run
exits 1: add the input to fuzz/regressions/<target>/ with the fix.

    python -m fuzz.run --seconds 60                 # all targets, 20 s each
    python -m fuzz.run --seconds 30 --target scanner
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGRESSIONS = HERE / "regressions"
CRASHES = HERE / "crashes"
NAMES = ("scanner", "frontmatter", "linktext")


def replay(name: str) -> None:
    """Every saved input of a target, through it (raises on the first that fails)."""
    from fuzz.targets import TARGETS

    for path in sorted((REGRESSIONS / name).glob("*")):
        TARGETS[name](path.read_bytes())


def _atheris_worker(name: str, seconds: int) -> int:
    import atheris

    with atheris.instrument_imports(include=["kbtool"]):
        from fuzz.targets import TARGETS
    replay(name)
    target = TARGETS[name]
    crashes = CRASHES / name
    crashes.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as corpus:
        for path in (REGRESSIONS / name).glob("*"):
            shutil.copy(path, corpus)
        args = [
            sys.argv[0],
            corpus,
            f"-max_total_time={seconds}",
            "-timeout=10",
            "-rss_limit_mb=2048",
            "-max_len=4096",
            f"-artifact_prefix={crashes}{os.sep}",
            "-print_final_stats=0",
        ]
        atheris.Setup(args, target)
        atheris.Fuzz()  # exits the process: 0 when the time is up, else a crash
    return 0


def _hypothesis_worker(name: str, seconds: int) -> int:
    """The fallback: random bytes and text for `seconds`, the first failure saved."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from fuzz.targets import TARGETS

    replay(name)
    target = TARGETS[name]
    deadline = time.monotonic() + seconds
    data = st.binary(max_size=4096) | st.text(max_size=1024).map(str.encode)
    while time.monotonic() < deadline:

        @settings(max_examples=200, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(data)
        def run(sample: bytes) -> None:
            try:
                target(sample)
            except Exception:
                crashes = CRASHES / name
                crashes.mkdir(parents=True, exist_ok=True)
                (crashes / f"crash-{abs(hash(sample)):x}").write_bytes(sample)
                raise

        run()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="total budget, split evenly")
    parser.add_argument("--target", choices=NAMES, action="append", help="default: all")
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("--worker", choices=NAMES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if importlib.util.find_spec("atheris") else "hypothesis"
    if args.worker:
        worker = _atheris_worker if engine == "atheris" else _hypothesis_worker
        return worker(args.worker, max(args.seconds, 1))
    names = args.target or list(NAMES)
    each = max(args.seconds // len(names), 1)
    failed = []
    for name in names:
        command = [sys.executable, "-m", "fuzz.run", "--worker", name, "--seconds", str(each)]
        command += ["--engine", engine]
        print(f"fuzz: {name} for {each} s with {engine}", flush=True)
        done = subprocess.run(command, cwd=HERE.parent, check=False)
        if done.returncode != 0:
            failed.append(name)
    if failed:
        print(f"fuzz: crashes in {', '.join(failed)}; inputs under {CRASHES}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
