"""`kbtool stats`: counts, orphans, dead ends, components and hubs of the link graph."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtool.base.jsonout import json_text
from kbtool.cli.common import format_option, open_vault, vault_argument

if TYPE_CHECKING:
    from kbtool.graph.stats import VaultStats


def _print_rich(stats: VaultStats, colour: bool = False) -> None:
    """Tables for a terminal (note paths escaped: `[` in a file name is not markup),
    coloured as `kbtool.cli.terminal.use_colour` decides for every command."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from kbtool.graph.stats import summary_rows

    console = Console(force_terminal=colour, no_color=not colour, highlight=False)
    summary = Table(show_header=False, box=None)
    for label, value in summary_rows(stats):
        summary.add_row(f"[bold]{label}[/bold]", value)
    console.print(summary)
    hubs = (
        (
            "Hubs by in-degree",
            "links in",
            [(str(h["in_degree"]), h["path"]) for h in stats.hubs_in_degree],
        ),
        (
            "Hubs by PageRank",
            "PageRank",
            [(f"{h['pagerank']:.4f}", h["path"]) for h in stats.hubs_pagerank],
        ),
    )
    for title, column, rows in hubs:
        if rows:
            table = Table(title=title, title_justify="left")
            table.add_column(column, justify="right")
            table.add_column("note")
            for value, path in rows:
                table.add_row(value, escape(path))
            console.print(table)
    for title, paths in (("Orphans", stats.orphans), ("Dead ends", stats.dead_ends)):
        if paths:
            shown = escape(", ".join(paths[:10]))
            more = f" ... and {len(paths) - 10} more" if len(paths) > 10 else ""
            console.print(f"[bold]{title}[/bold] ({len(paths)}): {shown}{more}")


@click.command("stats")
@vault_argument
@format_option(("text", "json"), "text (tables on a terminal) or json.")
def command(vault: Path | None, fmt: str) -> None:
    """Notes, links, broken links, orphans, dead ends, components, hubs by in-degree
    and PageRank, and the notes no MOC reaches.

    \b
    Examples:
      kbtool stats vault
      kbtool stats vault --format json | jq .orphans
    """
    from kbtool.cli.terminal import use_colour
    from kbtool.graph.stats import compute_stats, format_text

    loaded = open_vault(vault)
    stats = compute_stats(loaded)
    if fmt == "json":
        document = {"vault": str(loaded.root), **stats.to_dict()}  # the root found
        click.echo(json_text(document), nl=False)
    elif sys.stdout.isatty() or use_colour(sys.stdout):
        _print_rich(stats, use_colour(sys.stdout))
    else:
        click.echo(format_text(stats), nl=False)
