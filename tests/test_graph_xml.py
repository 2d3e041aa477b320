"""GraphML and GEXF stay well-formed XML whatever a title or a file name holds."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kbtool.base.xmltext import xml_text
from kbtool.cli import main


def test_xml_text_replaces_only_what_xml_cannot_hold() -> None:
    assert (
        xml_text("a\x01b\x1bc\td\ne\rf\ufffeg\ud800h") == "a\ufffdb\ufffdc\td\ne\rf\ufffdg\ufffdh"
    )
    assert xml_text("Ünïcode ✓ 🙂 <&>") == "Ünïcode ✓ 🙂 <&>"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """Control characters in a title, in a link's heading, and in two file names that
    differ only by a control character."""
    (tmp_path / "Hub.md").write_text(
        '---\ntitle: "Bell\\x07 and escape\\x1b"\n---\n[[a\x02b]] [[a\x03b#x\x01y]]\n'
    )
    (tmp_path / "a\x02b.md").write_text("one\n")
    (tmp_path / "a\x03b.md").write_text("two\n")
    return tmp_path


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_control_characters_give_well_formed_xml(vault: Path, fmt: str) -> None:
    result = CliRunner().invoke(main, ["graph", str(vault), "--format", fmt])
    assert result.exit_code == 0, result.output
    ET.fromstring(result.stdout_bytes)  # raises on a character XML cannot hold
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    graph = reader(io.BytesIO(result.stdout_bytes))
    assert sorted(graph.nodes) == ["Hub.md", "a\ufffdb.md", "a\ufffdb.md (2)"]
    assert graph.nodes["Hub.md"]["label"] == "Bell\ufffd and escape\ufffd"
    subpaths = sorted(d.get("subpath", "") for _, _, d in graph.edges(data=True))
    assert subpaths == ["", "#x\ufffdy"]
