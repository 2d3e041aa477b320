"""The flat link table gives what the networkx MultiDiGraph gives (issue 11 §5: memory):
the same JSON export, byte for byte, and the same stats, on the hand-written fixtures,
the corpora and a generated vault; and `graph --format json` and `stats` build no
MultiDiGraph at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from benchmark_scripts import load_script
from click.testing import CliRunner
from conftest import corpus_vaults

from kbtool.base.jsonout import json_text
from kbtool.cli import main
from kbtool.graph.export import to_json
from kbtool.graph.json_export import json_chunks, vault_json_chunks
from kbtool.graph.stats import compute_stats
from kbtool.vault.linkgraph import (
    build_link_table,
    dead_ends,
    note_digraph,
    note_successors,
    orphan_notes,
)
from kbtool.vault.load import Vault, load_vault

LINKS_STATS = Path(__file__).parent / "fixtures" / "links_stats"
FIXTURES = sorted(p for p in (Path(__file__).parent / "fixtures").iterdir() if p.is_dir())


def _vaults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    for root in FIXTURES + corpus_vaults():
        yield load_vault(root, cache=False)
    generated = tmp_path_factory.mktemp("generated")
    load_script("generate_vault").generate(300, generated, seed=1)
    yield load_vault(generated, cache=False)


@pytest.fixture(scope="module")
def vaults(tmp_path_factory: pytest.TempPathFactory) -> list[Vault]:
    return list(_vaults(tmp_path_factory))


def test_json_export_is_the_graphs_byte_for_byte(vaults: list[Vault]) -> None:
    for vault in vaults:
        expected = json_text(to_json(vault.graph))
        table = build_link_table(vault.notes, vault.resolver)
        for batch in (1, 3, 4096):  # pieces joined at any boundary
            assert "".join(json_chunks(table, vault.notes, batch=batch)) == expected, vault.root


def test_json_export_of_an_empty_vault(tmp_path: Path) -> None:
    assert "".join(vault_json_chunks(load_vault(tmp_path, cache=False))) == (
        '{\n  "nodes": [],\n  "edges": []\n}\n'
    )


def test_stats_are_the_graphs(vaults: list[Vault]) -> None:
    for vault in vaults:
        stats = compute_stats(vault)
        graph = vault.graph
        simple = note_digraph(graph)
        table = build_link_table(vault.notes, vault.resolver)
        assert note_successors(table) == {n: list(simple.successors(n)) for n in simple}
        sizes = sorted(len(c) for c in nx.weakly_connected_components(simple))
        assert (stats.components, stats.largest_component) == (len(sizes), max(sizes, default=0))
        assert stats.dead_ends == dead_ends(graph)
        assert stats.orphans == orphan_notes(vault.notes, vault.resolver)
        assert stats.links["total"] == graph.number_of_edges()
        unresolved = sum(1 for _, v, k in graph.edges(data="kind") if v.startswith("unresolved:"))
        assert stats.broken_links == unresolved
        degrees = sorted(simple.in_degree(), key=lambda item: (-item[1], item[0]))
        assert stats.hubs_in_degree == [
            {"path": p, "in_degree": d} for p, d in degrees[:10] if d > 0
        ]


def test_stats_and_json_export_build_no_multidigraph() -> None:
    vault = load_vault(LINKS_STATS)
    compute_stats(vault)
    "".join(vault_json_chunks(vault))
    assert "graph" not in vault.__dict__  # the cached property was never computed


@pytest.mark.parametrize("cache", [["--no-cache"], []])
def test_graph_command_prints_the_same_json_in_pieces_or_whole(
    cache: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["graph", str(LINKS_STATS), "--format", "json", *cache])
    assert result.exit_code == 0
    assert result.output == json_text(to_json(load_vault(LINKS_STATS, cache=False).graph))
