"""MOC reach over the condensation of the graph gives exactly what a walk from each MOC
(`nx.descendants`) gives, with MOCs that reach each other sharing one walk."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from conftest import corpus_vaults
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.graph.stats import reach_groups
from kbtool.vault.linkgraph import note_digraph
from kbtool.vault.load import load_vault


@st.composite
def graphs(draw: st.DrawFn) -> tuple[nx.DiGraph[str], list[str]]:
    size = draw(st.integers(1, 14))
    nodes = [f"n{i}" for i in range(size)]
    pairs = st.tuples(st.sampled_from(nodes), st.sampled_from(nodes))
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(draw(st.lists(pairs, max_size=3 * size)))
    sources = draw(st.lists(st.sampled_from(nodes), unique=True))
    return graph, sources


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_each_source_reaches_its_descendants(case: tuple[nx.DiGraph[str], list[str]]) -> None:
    graph, sources = case
    groups = reach_groups(graph, sources)
    grouped = [source for group in groups for source in group.mocs]
    assert sorted(grouped) == sorted(sources)
    for group in groups:
        for source in group.mocs:
            assert group.reach - {source} == nx.descendants(graph, source)
            # a group is the sources that reach each other, and only those
            together = {s for s in sources if s in nx.descendants(graph, source) | {source}}
            assert {s for s in together if source in nx.descendants(graph, s) | {s}} == set(
                group.mocs
            )


def test_mocs_in_one_cycle_share_one_walk() -> None:
    graph: nx.DiGraph[str] = nx.DiGraph([("m1", "a"), ("a", "m2"), ("m2", "m1"), ("a", "b")])
    graph.add_edges_from([("m3", "m1")])
    groups = reach_groups(graph, ["m1", "m2", "m3"])
    assert [(g.mocs, sorted(g.reach)) for g in groups] == [
        (("m1", "m2"), ["a", "b", "m1", "m2"]),
        (("m3",), ["a", "b", "m1", "m2", "m3"]),
    ]


@pytest.mark.parametrize("vault", corpus_vaults(), ids=lambda p: p.parent.name)
def test_real_vaults_reach_as_one_walk_from_each_note(corpora: Path, vault: Path) -> None:
    """The corpora have no MOC: every note is taken as one, on their real link graphs."""
    simple = note_digraph(load_vault(vault).graph)
    notes = sorted(simple)
    reach = {s: g.reach - {s} for g in reach_groups(simple, notes) for s in g.mocs}
    assert reach == {note: nx.descendants(simple, note) for note in notes}
    assert any(len(g.mocs) > 1 for g in reach_groups(simple, notes))  # cycles are shared
