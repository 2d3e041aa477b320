"""Text, Markdown and JSON renderings of due reviews and of the agenda."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from kbtool.base.jsonout import json_text
from kbtool.base.paths import without_md
from kbtool.review.schedule import AgendaBucket, DueItem

DueFormat = Literal["text", "json", "md"]


def render_due(items: list[DueItem], today: dt.date, fmt: DueFormat) -> str:
    """The `review due` output; empty when nothing is due, whatever the format (for cron)."""
    if not items:
        return ""
    if fmt == "json":
        doc = {"today": today.isoformat(), "items": [item.to_json() for item in items]}
        return json_text(doc)
    if fmt == "md":
        lines = [f"## Reviews due on {today.isoformat()}", ""]
        for item in items:
            target = without_md(item.path)
            name = target.rsplit("/", 1)[-1]
            link = f"[[{target}]]" if name == item.title else f"[[{target}|{item.title}]]"
            lines.append(f"- [ ] {link}: due {item.due.isoformat()}, {item.status()}")
        return "\n".join(lines) + "\n"
    width = max(len(item.path) for item in items)
    return "".join(
        f"{item.due.isoformat()}  {item.path:<{width}}  {item.status()}\n" for item in items
    )


def render_agenda(buckets: list[AgendaBucket], fmt: Literal["text", "json"]) -> str:
    """The `review agenda` output: a count per bucket, then its notes."""
    if fmt == "json":
        doc = [
            {
                "week": b.label,
                "start": b.start.isoformat() if b.start else None,
                "end": b.end.isoformat() if b.end else None,
                "count": len(b.items),
                "items": [item.to_json() for item in b.items],
            }
            for b in buckets
        ]
        return json_text(doc)
    out: list[str] = []
    for bucket in buckets:
        n = len(bucket.items)
        title = (
            "Overdue"
            if bucket.start is None
            else (
                f"{bucket.label} ({bucket.start.isoformat()} to {bucket.end.isoformat()})"  # type: ignore[union-attr]
            )
        )
        out.append(f"{title}: {n} note{'s' if n != 1 else ''}")
        for item in bucket.items:
            suffix = f"  ({item.status()})" if bucket.start is None else ""
            out.append(f"  {item.due.isoformat()}  {item.path}{suffix}")
    return "\n".join(out) + "\n"
