"""kbtool's own PageRank: networkx's ranks without numpy or scipy, in one pass per iteration."""

from __future__ import annotations

import pytest

from kbtool.graph.pagerank import pagerank

# note_digraph of tests/fixtures/links_stats (notes only, one edge per linked pair)
LINKS_STATS = {
    "A.md": ["B.md", "C.md"],
    "B.md": ["A.md", "MOC Home.md"],
    "C.md": [],
    "D.md": [],
    "E.md": [],
    "G.md": [],
    "Hub/F.md": ["G.md"],
    "MOC Home.md": ["A.md", "B.md"],
}

# nx.pagerank (networkx 3.6.1 with numpy 2.4.6 and scipy 1.17.1) on the same graph
NETWORKX = {
    "A.md": 0.210713555993,
    "B.md": 0.210713555993,
    "C.md": 0.147869266106,
    "D.md": 0.058316300921,
    "E.md": 0.058316300921,
    "G.md": 0.107885453039,
    "Hub/F.md": 0.058316300921,
    "MOC Home.md": 0.147869266106,
}


def test_matches_networkx_within_1e_6() -> None:
    ranks = pagerank(LINKS_STATS).ranks
    assert ranks.keys() == NETWORKX.keys()
    for node, expected in NETWORKX.items():
        assert ranks[node] == pytest.approx(expected, abs=1e-6), node


def test_empty_graph_has_no_ranks() -> None:
    assert pagerank({}).ranks == {}


def test_work_doubles_with_the_graph() -> None:
    """Two disjoint copies of the graph: each iteration visits twice the nodes and edges
    (and the iterations are bounded by MAX_ITERATIONS whatever the size)."""
    copy = {f"x/{n}": [f"x/{t}" for t in targets] for n, targets in LINKS_STATS.items()}
    single, double = pagerank(LINKS_STATS), pagerank(LINKS_STATS | copy)
    assert single.steps == single.iterations * (8 + 7)  # 8 notes, 7 links
    assert double.steps == double.iterations * 2 * (8 + 7)


def test_unconverged_graph_keeps_its_last_ranks() -> None:
    result = pagerank(LINKS_STATS, max_iterations=2)
    assert result.iterations == 2
    assert sum(result.ranks.values()) == pytest.approx(1.0)
