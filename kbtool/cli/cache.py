"""`kbtool cache info` and `kbtool cache clear`: where a vault's cache is, and removing it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtool.cli.common import fail, format_option, note, vault_argument

if TYPE_CHECKING:
    from kbtool.vault.cache import CacheInfo


def _cache_file(vault: Path | None) -> Path:
    """The cache file of the vault found as every command finds it (it need not exist)."""
    from kbtool.base.fileread import names_folder
    from kbtool.vault.cache import cache_path
    from kbtool.vault.discover import discover_vault

    root = discover_vault(vault)
    note(f"vault: {root}")
    if not names_folder(root.path):
        fail(f"{root.path}: no such vault (folder does not exist)")
    return cache_path(root.path.absolute())


def _when(ns: int | None) -> str | None:
    if ns is None:
        return None
    moment = dt.datetime.fromtimestamp(ns / 1e9, tz=dt.UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _info_text(info: CacheInfo) -> str:
    if info.state == "absent":
        made = "the next command that loads the vault makes it"
        return f"cache: {info.path}\nstate: absent ({made})\n"
    meaning = {
        "current": "current",
        "stale": "stale: written by another version of kbtool; rebuilt on the next run",
        "damaged": "damaged or not kbtool's; rebuilt on the next run",
    }[info.state]
    lines = [
        f"cache: {info.path}",
        f"state: {meaning}",
        f"size: {info.size:,} bytes",
        f"notes: {info.notes:,}",
        f"format: {info.format or '-'}",
        f"written: {_when(info.written_ns)}",
    ]
    return "\n".join(lines) + "\n"


@click.group("cache")
def command() -> None:
    """Where a vault's cache is, what it holds, and removing it.

    Every command keeps the parsed notes (and check the last findings) of a vault
    in one SQLite file in $KBTOOL_CACHE_DIR, else $XDG_CACHE_HOME/kbtool, else
    ~/.cache/kbtool, never inside the vault. Removing it is always safe: the
    next run parses every note again.

    \b
    Examples:
      kbtool cache info
      kbtool cache info ~/vault --format json
      kbtool cache clear ~/vault
      kbtool cache clear --all
    """


@command.command("info")
@vault_argument
@format_option(("text", "json"), "text for people; json for tools.")
def info_command(vault: Path | None, fmt: str) -> None:
    """Where the cache file of VAULT is, its size, how many notes it holds, its format
    and when it was last written. Looks only: never creates or changes it.

    \b
    Examples:
      kbtool cache info
      kbtool cache info ~/vault --format json
    """
    from kbtool.base.jsonout import json_text
    from kbtool.vault.cache import describe

    found = describe(_cache_file(vault))
    if fmt == "json":
        document = {
            "path": str(found.path),
            "state": found.state,
            "bytes": found.size,
            "notes": found.notes,
            "format": found.format,
            "written": _when(found.written_ns),
        }
        click.echo(json_text(document), nl=False)
    else:
        click.echo(_info_text(found), nl=False)


@command.command("clear")
@vault_argument
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Remove the cache of every vault (only kbtool's files in the cache folder).",
)
def clear_command(vault: Path | None, everything: bool) -> None:
    """Remove the cache file of VAULT (found like every command finds it), or with --all
    every kbtool cache file in the cache folder; other files there are left alone.

    \b
    Examples:
      kbtool cache clear
      kbtool cache clear ~/vault
      kbtool cache clear --all
    """
    from kbtool.vault.cache import cache_folder, kbtool_cache_files, remove_cache_file

    if everything and vault is not None:
        fail("give VAULT or --all, not both")
    try:
        if everything:
            folder = cache_folder()
            files = kbtool_cache_files(folder)
            for path in files:
                path.unlink(missing_ok=True)
            click.echo(f"Removed {len(files)} cache file(s) from {folder}.")
            return
        path = _cache_file(vault)
        if remove_cache_file(path):
            click.echo(f"Removed {path}.")
        else:
            click.echo(f"No cache to remove ({path} does not exist).")
    except OSError as exc:
        fail(f"cannot remove the cache: {exc.strerror or exc}")
