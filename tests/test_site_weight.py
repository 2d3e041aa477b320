"""Issue 10 §3 and §8 in bytes, on generated seed-shaped vaults of 200 and 800 notes: the
average note page stays at most 15 KB and does not grow with the vault (ratio at most
1.1), no listing page passes 100 KB (long ones are split), a note page's first visit
(its HTML and the stylesheet and scripts it loads) stays under 100 KB, and a first
search fetches at most 1 MB. The figures at 1,000 to 10,000 notes are in BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

from benchmark_scripts import load_script

gv = load_script("generate_vault")
bench = load_script("bench_site")
KB = 1024


def _site(root: Path, notes: int) -> tuple[Path, dict[str, float]]:
    gv.generate(notes, root / "vault", seed=1)
    bench.build(root / "vault", root / "site", workers=1)
    return root / "site", bench.sizes(root / "site")


def test_page_weights_do_not_grow_with_the_vault(tmp_path: Path) -> None:
    _small_site, small = _site(tmp_path / "small", 200)
    site, large = _site(tmp_path / "large", 800)
    for sizes in (small, large):
        assert sizes["avg_note_kb"] <= 15
        assert sizes["max_listing_kb"] <= 100
        assert sizes["first_visit_kb"] < 100
        assert sizes["first_search_kb"] <= 1024
    assert large["avg_note_kb"] / small["avg_note_kb"] <= 1.1
    split = sorted(p.relative_to(site).as_posix() for p in site.glob("tags/**/*-2.html"))
    assert split != []  # a tag of more than 250 notes: its listing is in pages
    assert max(p.stat().st_size for p in site.rglob("*.html")) <= 100 * KB
