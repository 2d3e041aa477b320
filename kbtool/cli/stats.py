"""`kbtool stats`: counts, orphans, dead ends, components and hubs of the link graph."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtool.base.jsonout import json_text
from kbtool.cli.common import (
    format_option,
    list_vault,
    no_cache_option,
    reused_or_computed,
    vault_argument,
)

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
@no_cache_option
def command(vault: Path | None, fmt: str, no_cache: bool) -> None:
    """Notes, links, broken links, orphans, dead ends, components, hubs by in-degree
    and PageRank, and the notes no MOC reaches.

    \b
    Examples:
      kbtool stats vault
      kbtool stats vault --format json | jq .orphans

    With nothing changed since the last run, the figures are the stored ones (no
    note is read); `--no-cache` computes them afresh.
    """
    from kbtool.cli.terminal import use_colour
    from kbtool.graph.stats import compute_stats, format_text, is_stats

    files = list_vault(vault, stat_notes=not no_cache)
    stats = reused_or_computed(files, "stats", (), compute_stats, is_stats, cache=not no_cache)
    if fmt == "json":
        document = {"vault": str(files.root), **stats.to_dict()}  # the root found
        click.echo(json_text(document), nl=False)
    elif sys.stdout.isatty() or use_colour(sys.stdout):
        _print_rich(stats, use_colour(sys.stdout))
    else:
        click.echo(format_text(stats), nl=False)
