"""The link graph and its exports: JSON schema, GraphML/GEXF round trips, DOT, Mermaid, `-o`."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.graph.export import export_graph, to_dot, to_json, to_mermaid
from kbtool.vault.load import Vault

FIXTURE = Path(__file__).parent / "fixtures" / "links"


@pytest.fixture(scope="module")
def vault(links_vault: Vault) -> Vault:
    return links_vault


@pytest.fixture(scope="module")
def doc(vault: Vault) -> dict:
    return to_json(vault.graph)


def test_json_schema(doc: dict) -> None:
    assert set(doc) == {"nodes", "edges"}
    for node in doc["nodes"]:
        if node["kind"] == "note":
            assert set(node) == {"id", "kind", "title", "type", "tags"}
            assert isinstance(node["tags"], list)
        else:
            assert set(node) == {"id", "kind"}
            assert node["kind"] in ("attachment", "unresolved")
    for edge in doc["edges"]:
        assert set(edge) == {"source", "target", "kind", "subpath", "line"}
        assert edge["kind"] in ("link", "embed", "property")
        assert isinstance(edge["line"], int)


def test_nodes(doc: dict, vault: Vault) -> None:
    kinds = {n["id"]: n["kind"] for n in doc["nodes"]}
    assert {k for k, v in kinds.items() if v == "note"} == set(vault.notes)
    assert {k for k, v in kinds.items() if v == "attachment"} == {"doc.pdf", "img/diagram.png"}
    assert {k for k, v in kinds.items() if v == "unresolved"} == {
        "unresolved:ai",
        "unresolved:diagram",
        "unresolved:missing note",
        "unresolved:missing prop",
        "unresolved:missing.png",
        "unresolved:nothing here",
    }
    note = next(n for n in doc["nodes"] if n["id"] == "Note.md")
    assert (note["title"], note["type"]) == ("Note", None)


def edges_from(doc: dict, source: str, line: int) -> list[dict]:
    return [e for e in doc["edges"] if e["source"] == source and e["line"] == line]


@pytest.mark.parametrize(
    ("line", "target", "kind", "subpath"),
    [
        (3, "Note.md", "property", None),
        (4, "unresolved:missing prop", "property", None),
        (16, "img/diagram.png", "embed", None),
        (17, "doc.pdf", "embed", "#page=3"),
        (21, "Note.md", "link", "#Top#Sub"),
        (26, "Source.md", "link", "#Local"),
        (32, "Other Note.md", "link", None),
    ],
)
def test_edges(doc: dict, line: int, target: str, kind: str, subpath: str | None) -> None:
    assert edges_from(doc, "Source.md", line) == [
        {"source": "Source.md", "target": target, "kind": kind, "subpath": subpath, "line": line}
    ]


def test_one_edge_per_occurrence_and_no_external(doc: dict) -> None:
    to_note = [e for e in doc["edges"] if e["source"] == "Source.md" and e["target"] == "Note.md"]
    assert len(to_note) == 10  # property, [[note]], [[Note.md]], 7 heading/block links
    assert not any("example.com" in e["target"] for e in doc["edges"])


def test_graphml_round_trip(vault: Vault) -> None:
    text = export_graph(vault.graph, "graphml")
    back = nx.read_graphml(io.StringIO(text), force_multigraph=True)
    assert set(back.nodes) == set(vault.graph.nodes)
    assert back.number_of_edges() == vault.graph.number_of_edges()
    assert back.nodes["Source.md"]["kind"] == "note"
    assert back.nodes["unresolved:ai"]["kind"] == "unresolved"
    kinds = sorted(d["kind"] for _, _, d in back.edges(data=True))
    assert kinds == sorted(d["kind"] for _, _, d in vault.graph.edges(data=True))


def test_gexf_round_trip(vault: Vault) -> None:
    text = export_graph(vault.graph, "gexf")
    back = nx.read_gexf(io.StringIO(text))
    assert set(back.nodes) == set(vault.graph.nodes)
    assert back.number_of_edges() == vault.graph.number_of_edges()
    assert back.nodes["img/diagram.png"]["kind"] == "attachment"
    assert back.nodes["Note.md"]["label"] == "Note"


@pytest.fixture
def nasty() -> nx.MultiDiGraph:
    """Ids and titles with quotes, backslashes, `#`, `<`, `>` and a newline."""
    graph = nx.MultiDiGraph()
    graph.add_node(
        'a "quoted" \\ note.md', kind="note", title='Say "hi" <b>#1</b>\nnow', type=None, tags=[]
    )
    graph.add_node("unresolved:x#y", kind="unresolved")
    graph.add_edge('a "quoted" \\ note.md', "unresolved:x#y", kind="link", subpath='#"h"', line=3)
    graph.add_edge('a "quoted" \\ note.md', "unresolved:x#y", kind="link", subpath="", line=4)
    return graph


def test_dot_escapes(nasty: nx.MultiDiGraph) -> None:
    text = to_dot(nasty)
    assert '"a \\"quoted\\" \\\\ note.md" [label="Say \\"hi\\" <b>#1</b>\\nnow"' in text
    assert text.count(" -> ") == 2
    assert 'subpath="#\\"h\\""' in text
    assert text.startswith("digraph kbtool {") and text.endswith("}\n")


def test_mermaid_ids_and_labels(nasty: nx.MultiDiGraph) -> None:
    text = to_mermaid(nasty)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert lines[1] == '  n0["Say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt; now"]'
    assert lines[2] == '  n1{{"unresolved:x#35;y"}}'
    assert lines.count("  n0 --> n1") == 1  # repeated links draw one arrow
    for line in lines[1:]:
        assert re.match(r"^  (n\d+[\[{( ]|classDef |class )", line), line


def test_cli_json_stdout() -> None:
    result = CliRunner().invoke(main, ["graph", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["nodes"]


def test_cli_writes_file_atomically(tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    result = CliRunner().invoke(
        main, ["graph", str(FIXTURE), "--format", "graphml", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_nodes() > 0
    assert [p.name for p in tmp_path.iterdir()] == ["g.graphml"]


def test_cli_unwritable_output_exits_2(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "folder" / "g.json"
    result = CliRunner().invoke(main, ["graph", str(FIXTURE), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "cannot write" in result.stderr


def test_cli_missing_vault_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["graph", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such vault" in result.stderr
