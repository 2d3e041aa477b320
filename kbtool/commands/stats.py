"""`kbtool stats`: counts, orphans, dead ends, components and hubs of the link graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kbtool.commands.common import open_vault, vault_argument
from kbtool.jsonout import json_text
from kbtool.stats import VaultStats, compute_stats, format_text, summary_rows


def _print_rich(stats: VaultStats) -> None:
    """Tables for a terminal (note paths escaped: `[` in a file name is not markup)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text (tables on a terminal) or json.",
)
def command(vault: Path, fmt: str) -> None:
    """Notes, links, broken links, orphans, dead ends, components, hubs by in-degree
    and PageRank, and the notes no MOC reaches.

    \b
    Examples:
      kbtool stats vault
      kbtool stats vault --format json | jq .orphans
    """
    stats = compute_stats(open_vault(vault))
    if fmt == "json":
        click.echo(json_text(stats.to_dict()), nl=False)
    elif sys.stdout.isatty():
        _print_rich(stats)
    else:
        click.echo(format_text(stats), nl=False)
