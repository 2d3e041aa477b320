"""`kbtool graph`: export the link graph as JSON, GraphML, GEXF, DOT or Mermaid."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtool.cli.common import (
    format_option,
    list_vault,
    no_cache_option,
    output_option,
    vault_argument,
    written_in_pieces,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kbtool.vault.load import Vault

#: kbtool.graph.export.FORMATS, named here so that listing commands does not import networkx
FORMATS = ("json", "graphml", "gexf", "dot", "mermaid")


@click.command("graph")
@vault_argument
@format_option(
    FORMATS, "json (kbtool's schema), graphml or gexf (Gephi, yEd), dot (Graphviz), mermaid."
)
@output_option
@no_cache_option
def command(vault: Path | None, fmt: str, output: Path | None, no_cache: bool) -> None:
    """The link graph: notes, linked attachments and unresolved targets as nodes,
    one edge per link, embed or property link.

    \b
    Examples:
      kbtool graph vault > graph.json
      kbtool graph vault --format graphml -o vault.graphml
      kbtool graph vault --format dot | dot -Tsvg > graph.svg

    With nothing changed since the last run, the export is the stored one (no
    note is read); `--no-cache` makes it afresh.
    """

    def export(loaded: Vault) -> Iterator[str]:
        if fmt == "json":  # from the flat link table, in pieces: no MultiDiGraph
            from kbtool.graph.json_export import vault_json_chunks

            yield from vault_json_chunks(loaded)
            return
        from kbtool.graph.export import export_graph

        yield export_graph(loaded.graph, fmt)

    files = list_vault(vault, stat_notes=not no_cache)
    written_in_pieces(files, f"graph/{fmt}", (), export, output, cache=not no_cache)
