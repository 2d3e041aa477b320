"""`kbtool index`: write the vault's index as Markdown (a note) or JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtool.cli.common import (
    format_option,
    list_vault,
    no_cache_option,
    output_option,
    today_option,
    vault_argument,
    written_in_pieces,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kbtool.vault.load import Vault

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
@no_cache_option
def command(
    vault: Path | None,
    fmt: str,
    output: Path | None,
    today: dt.date,
    recent: int,
    no_cache: bool,
) -> None:
    """Index the vault: notes by type, tag tree, MOCs, recently modified.

    The Markdown has no frontmatter, so it can be saved as a note of the vault
    (e.g. `-o VAULT/Index.md`) whatever types the vault's schema allows; that
    note is then left out of its own index.

    \b
    Examples:
      kbtool index vault -o vault/Index.md
      kbtool index vault --format json --recent 20

    With nothing changed since the last run (the index note it wrote into the
    vault aside, whose bytes are compared), the index is the stored one and no
    note is read; `--no-cache` builds it afresh. MOCs that reach one another
    share one section (one group in the JSON's `moc_groups`), which lists what
    they reach once. The index is written a piece at a time, never held whole
    (a hierarchy of MOCs lists a note under each MOC above it, so a large vault's
    index can be larger than memory); an index that would take over 64 MB in
    the cache is not stored, but built again each run. `-o FILE`
    is replaced only once the whole index is written: an error or an interrupt
    leaves the old FILE.
    """
    from kbtool.write.guard import path_in_vault

    files = list_vault(vault, stat_notes=not no_cache)
    index_path = path_in_vault(output, files.root) if output is not None else None

    def render(loaded: Vault) -> Iterator[str]:
        from kbtool.index.build import build_index
        from kbtool.index.render_json import json_pieces
        from kbtool.index.render_md import markdown_pieces

        index = build_index(
            loaded, today=today, recent=recent, index_path=index_path, cache=not no_cache
        )
        return markdown_pieces(index) if fmt == "md" else json_pieces(index)

    options = (today.isoformat(), recent, index_path)
    hashed = [index_path] if index_path is not None else []
    written_in_pieces(
        files, f"index/{fmt}", options, render, output, cache=not no_cache, hashed=hashed
    )
