"""One note's card: its metadata, outgoing links, backlinks with the linking line, and its
due date, as JSON-ready data and as text. What `kbtool show` prints; Python code calls
`describe_note(vault, path)` for the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from kbtool.review.schedule import due_date
from kbtool.vault.load import Vault
from kbtool.vault.resolve import link_label
from kbtool.vault.text import NoteChanged

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
