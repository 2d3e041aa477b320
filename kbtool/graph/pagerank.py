"""PageRank by power iteration in plain Python, so `stats` needs neither numpy nor scipy.

networkx's `pagerank` hands the work to scipy (60 MB of dependencies and a
slow import) for graphs the size of a vault, where one pass over the links
per iteration is fast enough. The iteration is networkx's own (uniform start,
dangling notes spread their rank evenly, stop when the L1 change is below
`nodes * tol`), so the ranks agree with `nx.pagerank` to rounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ALPHA = 0.85
TOLERANCE = 1e-6
MAX_ITERATIONS = 100


@dataclass(frozen=True)
class PageRank:
    ranks: dict[str, float]
    iterations: int
    steps: int  # nodes and edges visited: what the run cost


def pagerank(
    successors: Mapping[str, Sequence[str]],
    *,
    alpha: float = ALPHA,
    tol: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
) -> PageRank:
    """Ranks of the nodes of a directed graph given as node -> successors (each a node).

    Each iteration is one pass over nodes and edges. A graph that has not
    converged after `max_iterations` keeps its last ranks (networkx raises).
    """
    nodes = list(successors)
    count = len(nodes)
    if count == 0:
        return PageRank({}, 0, 0)
    index = {node: i for i, node in enumerate(nodes)}
    out = [[index[target] for target in successors[node]] for node in nodes]
    dangling = [i for i, targets in enumerate(out) if not targets]
    ranks = [1.0 / count] * count
    steps = iterations = 0
    while iterations < max_iterations:
        iterations += 1
        spread = alpha * sum(ranks[i] for i in dangling) / count + (1 - alpha) / count
        new = [spread] * count
        for i, targets in enumerate(out):
            steps += 1 + len(targets)
            if targets:
                share = alpha * ranks[i] / len(targets)
                for j in targets:
                    new[j] += share
        change = sum(abs(a - b) for a, b in zip(new, ranks, strict=True))
        ranks = new
        if change < count * tol:
            break
    return PageRank(dict(zip(nodes, ranks, strict=True)), iterations, steps)
