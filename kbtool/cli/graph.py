"""`kbtool graph`: export the link graph as JSON, GraphML, GEXF, DOT or Mermaid."""

from __future__ import annotations

from pathlib import Path

import click

from kbtool.cli.common import (
    format_option,
    open_vault,
    output_option,
    vault_argument,
    write_output,
)

#: kbtool.graph.export.FORMATS, named here so that listing commands does not import networkx
FORMATS = ("json", "graphml", "gexf", "dot", "mermaid")


@click.command("graph")
@vault_argument
@format_option(
    FORMATS, "json (kbtool's schema), graphml or gexf (Gephi, yEd), dot (Graphviz), mermaid."
)
@output_option
def command(vault: Path | None, fmt: str, output: Path | None) -> None:
    """The link graph: notes, linked attachments and unresolved targets as nodes,
    one edge per link, embed or property link.

    \b
    Examples:
      kbtool graph vault > graph.json
      kbtool graph vault --format graphml -o vault.graphml
      kbtool graph vault --format dot | dot -Tsvg > graph.svg
    """
    from kbtool.graph.export import export_graph

    loaded = open_vault(vault)
    write_output(export_graph(loaded.graph, fmt), output)
