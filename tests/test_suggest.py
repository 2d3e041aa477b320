"""The trigram index finds what scoring every name would find, for realistic typos."""

from __future__ import annotations

import random
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from kbtool.vault.names import NameIndex

VAULT = Path(__file__).resolve().parent.parent / "vault"
WORDS = (
    "service",
    "pod",
    "node",
    "proxy",
    "cluster",
    "network",
    "policy",
    "ingress",
    "gateway",
    "route",
    "dns",
    "traffic",
    "port",
    "endpoint",
    "label",
    "selector",
    "kernel",
    "table",
    "mode",
    "balance",
)


def _names() -> list[str]:
    rng = random.Random(7)
    real = sorted(p.stem for p in VAULT.rglob("*.md") if "Templates" not in p.parts)
    made = {" ".join(rng.sample(WORDS, rng.randint(3, 7))) for _ in range(3000)}
    return real + sorted(made)


def _typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(len(name))
    return name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[:i] + "x" + name[i:]


def _brute(names: list[str], query: str) -> int | None:
    processed = [utils.default_process(n) for n in names]
    match = process.extractOne(
        utils.default_process(query), processed, scorer=fuzz.ratio, processor=None, score_cutoff=80
    )
    return None if match is None else match[2]


def _score(query: str, name: str) -> float:
    return fuzz.ratio(utils.default_process(query), utils.default_process(name))


def test_typos_find_what_scoring_every_name_finds() -> None:
    """The index is an approximation: it must agree with brute force on at least 98% of
    typos, on real titles mixed with thousands of look-alike names of a small vocabulary
    (the hardest case: every trigram is common)."""
    names = _names()
    index = NameIndex(names)
    rng = random.Random(3)
    agree = 0
    queries = [_typo(rng, name) for name in rng.sample(names, 300)]
    for query in queries:
        found, best = index.closest(query), _brute(names, query)
        if best is None:
            assert found is None or _score(query, names[found]) >= 80
            agree += found is None
        elif found is not None and _score(query, names[found]) == _score(query, names[best]):
            agree += 1
    assert agree >= 0.98 * len(queries)


def test_real_titles_with_a_typo_are_always_found() -> None:
    names = _names()
    index = NameIndex(names)
    rng = random.Random(5)
    real = [n for n in names if n[0].isupper() or "-" in n][:20]
    for name in real:
        query = _typo(rng, name)
        assert names[index.closest(query)] == name, query


def test_case_and_punctuation_differences() -> None:
    index = NameIndex(["kube-proxy implements Services using iptables or IPVS", "CoreDNS"])
    assert index.closest("Kube proxy implements services using IPtables or ipvs") == 0
    assert index.closest("something else entirely") is None
