"""Time `kbtool build` against the naive floor and measure the pages it writes.

Floor: read every note, load its frontmatter with PyYAML's C loader and
tokenise its body with markdown-it (bench_check.baseline). Build: what
`kbtool build --no-...` does in one process: load the vault (no parse cache)
and build the site into a new folder. CPU seconds (process time), min of the
repeats, runs alternating. Then, of the last build: the average and largest
note page (HTML alone), the largest page of any kind, a note page's first
visit (its HTML, the stylesheet and the scripts it loads before any search),
what a first search fetches (meta, one word shard, one document shard, the
largest of each), and the peak memory of the process.

    python benchmarks/bench_site.py --notes 1000 3000 --repeat 2
"""

from __future__ import annotations

import argparse
import importlib
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType


def _bench_check() -> ModuleType:
    """The sibling bench_check module (its vault cache and floor), from this folder."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    return importlib.import_module("bench_check")


def _cpu(fn: object, *args: object) -> float:
    start = time.process_time()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - start


def build(root: Path, out: Path) -> None:
    from kbtool.site.builder import build_site
    from kbtool.vault.load import load_vault

    shutil.rmtree(out, ignore_errors=True)
    build_site(load_vault(root), out)


def sizes(out: Path) -> dict[str, float]:
    pages = list(out.rglob("*.html"))
    site_pages = {"index.html", "404.html", "search.html", "review.html", "graph.html"}
    listing = {p for p in pages if p.name.startswith("index") or "tags" in p.parts}
    notes = [p for p in pages if p not in listing and p.name not in site_pages]
    note_sizes = [p.stat().st_size for p in notes]
    assets = sum((out / "assets" / n).stat().st_size for n in ("style.css", "site.js", "theme.js"))
    words = [p.stat().st_size for p in (out / "search/w").iterdir()]
    docs = [p.stat().st_size for p in (out / "search/d").iterdir()]
    first_search = (out / "search/meta.json").stat().st_size + max(words) + max(docs)
    return {
        "avg_note_kb": sum(note_sizes) / len(note_sizes) / 1024,
        "max_note_kb": max(note_sizes) / 1024,
        "max_page_kb": max(p.stat().st_size for p in pages) / 1024,
        "first_visit_kb": (sum(note_sizes) / len(note_sizes) + assets) / 1024,
        "first_search_kb": first_search / 1024,
        "index_mb": (sum(words) + sum(docs)) / 1024 / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    bench = _bench_check()
    print(
        "| notes | floor CPU s | build CPU s | ratio | avg note page KB | max page KB "
        "| first visit KB | first search KB | index MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n in args.notes:
        root = bench.cached_vault(n, args.seed)
        out = Path(tempfile.mkdtemp(prefix="kbtool-bench-site-")) / "site"
        floors, builds = [], []
        for _ in range(args.repeat):
            floors.append(_cpu(bench.baseline, root))
            builds.append(_cpu(build, root, out))
        s = sizes(out)
        print(
            f"| {n:,} | {min(floors):.2f} | {min(builds):.2f} | {min(builds) / min(floors):.1f} "
            f"| {s['avg_note_kb']:.1f} | {s['max_page_kb']:.0f} | {s['first_visit_kb']:.0f} "
            f"| {s['first_search_kb']:.0f} | {s['index_mb']:.1f} |",
            flush=True,
        )
        shutil.rmtree(out.parent, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
