"""`kbtool show`: one note with its metadata, outgoing links, backlinks and due date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kbtool.base.jsonout import json_text
from kbtool.cli.common import (
    existing_file,
    fail,
    format_option,
    open_vault,
    today_option,
    vault_option,
)


@click.command("show")
@click.argument("note")
@vault_option
@format_option(("text", "json"))
@today_option
def command(note: str, vault_path: Path | None, fmt: str, today: dt.date) -> None:
    """One note: metadata, outgoing links, backlinks (with the linking line) and due date.

    NOTE is a file path or a note name, resolved like a [[wiki-link]].

    \b
    Examples:
      kbtool show "eBPF dataplanes can replace kube-proxy" --vault vault
      kbtool show "coredns resolves service names inside the cluster" --vault vault --format json
    """
    from kbtool.index.note_card import describe_note, format_text
    from kbtool.vault.locate import NoteNotFound, locate_note

    vault = open_vault(vault_path, note_path=existing_file(note))
    try:
        path, others = locate_note(vault, note)
    except NoteNotFound as exc:
        fail(str(exc))
    if others:
        click.echo(f"kbtool: note: '{note}' also matches {', '.join(others)}", err=True)
    info = describe_note(vault, path)
    if fmt == "json":
        document = {"vault": str(vault.root), **info}  # the root found, as in check's JSON
        click.echo(json_text(document), nl=False)
    else:
        click.echo(format_text(info, today), nl=False)
