"""`kbtool show`: one note with its metadata, outgoing links, backlinks and due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from kbtool.vault.load import Vault

SNIPPET_WIDTH = 120


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _file_lines(vault: Vault, paths: Iterable[str]) -> dict[str, list[str]]:
    """The lines of each backlinking file, read once each (snippets need the text); none
    when it cannot be read or changed since loading (its link lines would be stale)."""
    from kbtool.vault.text import NoteChanged

    lines: dict[str, list[str]] = {}
    for path in paths:
        try:
            lines[path] = vault.lines(path)
        except (OSError, NoteChanged):
            lines[path] = []
    return lines


def _snippet(lines: list[str], line: int) -> str:
    text = " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""
    return text if len(text) <= SNIPPET_WIDTH else text[: SNIPPET_WIDTH - 1] + "…"


def describe_note(vault: Vault, path: str) -> dict[str, Any]:
    """Everything `show` prints about the note at vault path `path`, as JSON-ready data."""
    from kbtool.review.schedule import due_date
    from kbtool.vault.resolve import link_label

    note = vault.notes[path]
    resolver = vault.resolver
    outgoing = [
        {
            "kind": r.link.kind,
            "link": link_label(r.link),
            "target": r.target,
            "subpath": r.link.subpath or None,
            "resolved": r.target is not None,
            "line": r.link.line,
            "column": r.link.column,
        }
        for r in resolver.links_from(path)
    ]
    incoming = [r for r in resolver.links_to(path) if r.note.path != path]
    lines = _file_lines(vault, dict.fromkeys(r.note.path for r in incoming))
    backlinks = [
        {
            "source": r.note.path,
            "kind": r.link.kind,
            "line": r.link.line,
            "column": r.link.column,
            "snippet": _snippet(lines[r.note.path], r.link.line),
        }
        for r in incoming
    ]
    due = due_date(note, vault.config)
    return {
        "path": path,
        "title": note.title,
        "metadata": _jsonable(note.meta),
        "outgoing": outgoing,
        "backlinks": backlinks,
        "due": due.isoformat() if due else None,
    }


def _due_text(due: str | None, today: dt.date) -> str:
    if due is None:
        return "not scheduled"
    days = (dt.date.fromisoformat(due) - today).days
    if days < 0:
        return f"{due} (overdue by {-days} days)"
    return f"{due} (today)" if days == 0 else f"{due} (in {days} days)"


def format_text(info: dict[str, Any], today: dt.date) -> str:
    """The plain-text form of `describe_note`'s result."""
    out = [info["path"], f"  title: {info['title']}"]
    for key, value in info["metadata"].items():
        if key == "title" or value in (None, "", []):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        out.append(f"  {key}: {shown}")
    out.append(f"  due: {_due_text(info['due'], today)}")
    out += ["", f"Outgoing links ({len(info['outgoing'])}):"]
    for link in info["outgoing"]:
        at = f"{link['line']}:{link['column']}"
        if link["resolved"]:
            where = link["target"] + (link["subpath"] or "")
        else:
            where = f"{link['link']} (unresolved)"
        out.append(f"  {at}  {link['kind']:<8} {where}")
    out += ["", f"Backlinks ({len(info['backlinks'])}):"]
    for back in info["backlinks"]:
        out.append(f"  {back['source']}:{back['line']}  {back['kind']:<8} {back['snippet']}")
    return "\n".join(out) + "\n"


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
