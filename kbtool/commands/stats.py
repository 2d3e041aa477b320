"""`kbtool stats`: counts, orphans, dead ends, components and hubs of the link graph."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kbtool.commands.common import open_vault, vault_argument
from kbtool.stats import VaultStats, compute_stats, format_text, summary_rows


def _print_rich(stats: VaultStats) -> None:
    """Tables for a terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    summary = Table(show_header=False, box=None)
    for label, value in summary_rows(stats):
        summary.add_row(f"[bold]{label}[/bold]", value)
    console.print(summary)
    for title, key, column in (
        ("Hubs by in-degree", "in_degree", "links in"),
        ("Hubs by PageRank", "pagerank", "PageRank"),
    ):
        hubs = stats.hubs_in_degree if key == "in_degree" else stats.hubs_pagerank
        if not hubs:
            continue
        table = Table(title=title, title_justify="left")
        table.add_column(column, justify="right")
        table.add_column("note")
        for hub in hubs:
            value = hub[key]
            table.add_row(f"{value:.4f}" if key == "pagerank" else str(value), hub["path"])
        console.print(table)
    for title, paths in (("Orphans", stats.orphans), ("Dead ends", stats.dead_ends)):
        if paths:
            more = f" ... and {len(paths) - 10} more" if len(paths) > 10 else ""
            console.print(f"[bold]{title}[/bold] ({len(paths)}): {', '.join(paths[:10])}{more}")


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
    and PageRank, and the notes no MOC reaches."""
    stats = compute_stats(open_vault(vault))
    if fmt == "json":
        click.echo(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2))
    elif sys.stdout.isatty():
        _print_rich(stats)
    else:
        click.echo(format_text(stats), nl=False)
