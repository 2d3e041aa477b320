"""Time `kbtool build` against the naive floor, time rebuilds, and measure the pages written.

Floor: read every note, load its frontmatter with PyYAML's C loader and
tokenise its body with markdown-it (bench_check.baseline), in one process.
Cold build: what `kbtool build` does into a new folder: list and load the
vault (no parse cache) and build the site, its notes rendered by as many worker
processes as the machine gives it (`--workers 1` for one). Wall seconds
and CPU seconds (this process and its workers), min of the repeats, runs
alternating with the floor.

Rebuilds, on a copy of the vault after one cold build: append a sentence to
one note (its text), then a link from one note to another it did not link to
(whose backlinks must change); each is the listing, the load through the parse
cache (`load_for_build`) and `build_site` into the same folder, as `kbtool
build` runs it again, and is reported as a fraction of the cold build: the
least of `--rebuilds` runs of each kind (each after a change of its own: the
machine is shared, and a run only takes longer for it), with the pages the
first one rendered.

Then, of the cold build: the average and largest note page (HTML alone), the
largest listing page (home, tag, folder, review pages), a note page's first
visit (its HTML, the stylesheet and the scripts it loads before any search),
what a first search fetches (meta, the largest word shard, the largest
document shard), and the peak memory of the process and of a worker.

    python benchmarks/bench_site.py --notes 1000 3000 --repeat 1
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

SITE_PAGES = {"404.html", "search.html", "graph.html"}
FIRST_VISIT_ASSETS = ("style.css", "site.js", "theme.js", "neighbourhood.js")


def _bench_check() -> ModuleType:
    """The sibling bench_check module (its vault cache and floor), from this folder."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    return importlib.import_module("bench_check")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _timed(fn: Callable[..., object], *args: object) -> tuple[float, float, object]:
    """(wall, CPU) seconds of `fn(*args)`, and what it returned."""
    wall, cpu = time.perf_counter(), _cpu()
    value = fn(*args)
    return time.perf_counter() - wall, _cpu() - cpu, value


def build(root: Path, out: Path, workers: int | None, cache: bool = False) -> int:
    """List, load and build as `kbtool build` does (`cache`: through the parse cache); the
    number of pages rendered."""
    from kbtool.site.builder import build_site, load_for_build
    from kbtool.vault.load import scan_vault

    files = scan_vault(root)
    vault = load_for_build(files, cache=cache)
    return len(build_site(vault, out, workers=workers, files=files).rendered)


def sizes(out: Path) -> dict[str, float]:
    pages = list(out.rglob("*.html"))
    listing = {
        p
        for p in pages
        if p.name.startswith(("index", "review")) or "tags" in p.relative_to(out).parts
    }
    notes = [p for p in pages if p not in listing and p.name not in SITE_PAGES]
    note_sizes = [p.stat().st_size for p in notes]
    assets = sum((out / "assets" / n).stat().st_size for n in FIRST_VISIT_ASSETS)
    words = [p.stat().st_size for p in (out / "search/w").iterdir()]
    docs = [p.stat().st_size for p in (out / "search/d").iterdir()]
    first_search = (out / "search/meta.json").stat().st_size + max(words) + max(docs)
    return {
        "avg_note_kb": sum(note_sizes) / len(note_sizes) / 1024,
        "max_note_kb": max(note_sizes) / 1024,
        "max_listing_kb": max(p.stat().st_size for p in listing) / 1024,
        "first_visit_kb": (sum(note_sizes) / len(note_sizes) + assets) / 1024,
        "first_search_kb": first_search / 1024,
        "index_mb": (sum(words) + sum(docs)) / 1024 / 1024,
    }


def rebuilds(root: Path, workers: int | None, times: int) -> tuple[float, float, int, int]:
    """CPU seconds of a rebuild after a text change and after a new link (the least of
    `times` rebuilds each, every one after a change of its own), with the pages the first
    of each rendered, on a copy of the vault (the generated one stays as it is)."""
    work = Path(tempfile.mkdtemp(prefix="kbtool-bench-rebuild-"))
    try:
        vault, out = work / "vault", work / "site"
        shutil.copytree(root, vault)
        build(vault, out, workers, cache=True)  # and fills the parse cache of the copy
        notes = sorted(vault.rglob("*.md"))
        text_note, link_note = notes[len(notes) // 2], notes[len(notes) // 3]
        linked = link_note.read_text(encoding="utf-8")
        targets = [n for n in notes[7:] if n != link_note and f"[[{n.stem}" not in linked]
        text_runs, link_runs = [], []
        for k in range(times):
            with text_note.open("a", encoding="utf-8") as handle:
                handle.write(f"\nOne more sentence about nothing in particular ({k}).\n")
            text_runs.append(_timed(build, vault, out, workers, True))
        for k in range(times):  # a note it did not link to: its backlinks change
            with link_note.open("a", encoding="utf-8") as handle:
                handle.write(f"\nSee also [[{targets[k].stem}]].\n")
            link_runs.append(_timed(build, vault, out, workers, True))
        text_cpu = min(cpu for _wall, cpu, _pages in text_runs)
        link_cpu = min(cpu for _wall, cpu, _pages in link_runs)
        return text_cpu, link_cpu, int(str(text_runs[0][2])), int(str(link_runs[0][2]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="default: automatic")
    parser.add_argument("--rebuilds", type=int, default=3, help="of each kind; the least counts")
    args = parser.parse_args()
    bench = _bench_check()
    print(
        "| notes | floor CPU s | build wall s | build CPU s | wall / floor | CPU / floor "
        "| rebuild text (pages) | rebuild link (pages) | avg note KB | largest listing KB "
        "| first visit KB | first search KB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in args.notes:
        root = bench.cached_vault(n, args.seed)
        out = Path(tempfile.mkdtemp(prefix="kbtool-bench-site-")) / "site"
        floors, walls, cpus = [], [], []
        for _ in range(args.repeat):
            floors.append(_timed(bench.baseline, root)[1])
            shutil.rmtree(out, ignore_errors=True)
            wall, cpu, _ = _timed(build, root, out, args.workers)
            walls.append(wall)
            cpus.append(cpu)
        s = sizes(out)
        shutil.rmtree(out.parent, ignore_errors=True)
        text_cpu, link_cpu, text_pages, link_pages = rebuilds(root, args.workers, args.rebuilds)
        floor, cold = min(floors), min(cpus)
        print(
            f"| {n:,} | {floor:.2f} | {min(walls):.2f} | {cold:.2f} | {min(walls) / floor:.2f} "
            f"| {cold / floor:.2f} | {text_cpu:.2f} s = {text_cpu / cold:.1%} ({text_pages}) "
            f"| {link_cpu:.2f} s = {link_cpu / cold:.1%} ({link_pages}) "
            f"| {s['avg_note_kb']:.1f} | {s['max_listing_kb']:.0f} | {s['first_visit_kb']:.0f} "
            f"| {s['first_search_kb']:.0f} |",
            flush=True,
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak memory: {own:.0f} MB (this process), {worker:.0f} MB (largest worker)")


if __name__ == "__main__":
    main()
