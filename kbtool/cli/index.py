"""`kbtool index`: write the vault's index as Markdown (a note) or JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kbtool.cli.common import (
    format_option,
    open_vault,
    output_option,
    today_option,
    vault_argument,
    write_output,
)

#: kbtool.index.DEFAULT_RECENT, named here so that listing commands does not load the scanner
DEFAULT_RECENT = 10


@click.command("index")
@vault_argument
@format_option(("md", "json"), "Markdown note (links resolve in the vault) or JSON data.")
@output_option
@today_option
@click.option(
    "--recent",
    type=click.IntRange(min=0),
    default=DEFAULT_RECENT,
    show_default=True,
    metavar="N",
    help="How many recently modified notes to list.",
)
def command(vault: Path | None, fmt: str, output: Path | None, today: dt.date, recent: int) -> None:
    """Index the vault: notes by type, tag tree, MOCs, recently modified.

    The Markdown has no frontmatter, so it can be saved as a note of the vault
    (e.g. `-o VAULT/Index.md`) whatever types the vault's schema allows; that
    note is then left out of its own index.

    \b
    Examples:
      kbtool index vault -o vault/Index.md
      kbtool index vault --format json --recent 20
    """
    from kbtool.index import build_index, render_json, render_markdown
    from kbtool.write.guard import path_in_vault

    loaded = open_vault(vault)
    index_path = path_in_vault(output, loaded.root) if output is not None else None
    index = build_index(loaded, today=today, recent=recent, index_path=index_path, cache=True)
    text = render_markdown(index) if fmt == "md" else render_json(index)
    write_output(text, output)
