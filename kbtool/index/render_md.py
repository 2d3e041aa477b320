"""The index as a Markdown note that can live in the vault and pass `kbtool check`.

Every link reaches its note unambiguously (see `links.py`). Text copied from
notes (summaries) is escaped so that it adds no tag, link or comment to the
index note, and tag names are shown as code for the same reason. There is no
frontmatter: a vault's schema may not allow an index type, and the caller
can prepend one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from kbtool.index.build import Entry, Index, MocGroup
from kbtool.index.summary import map_prose
from kbtool.index.tagtree import TagNode, walk

_HASH = re.compile(r"(^|\s)#")


def _escape_prose(text: str) -> str:
    text = _HASH.sub(r"\1\\#", text)
    text = text.replace("[[", "[\\[").replace("%%", "%\\%").replace("<!--", "&lt;!--")
    return text


def escape_text(text: str) -> str:
    """Text from a note, made inert: no tag, wiki-link, comment or HTML comment starts here."""
    return map_prose(text, _escape_prose)


def code_span(text: str) -> str:
    """`text` as a code span, with a fence longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _item(entry: Entry, prefix: str = "") -> str:
    line = f"- {prefix}{entry.link}"
    if entry.summary:
        line += f" — {escape_text(entry.summary)}"
    return line


def _count(n: int) -> str:
    return f"{n} note" if n == 1 else f"{n} notes"


def _tag_lines(tags: tuple[TagNode, ...]) -> list[str]:
    """Nested tags as a tree; tags that nest nothing on one line, to keep the tree readable."""
    tree = [node for node in tags if node.children]
    flat = [node for node in tags if not node.children]
    lines = [f"{'  ' * depth}- {code_span(node.name)} ({node.count})" for depth, node in walk(tree)]
    if flat:
        listed = ", ".join(f"{code_span(node.name)} ({node.count})" for node in flat)
        lines += ["", f"Other tags: {listed}." if tree else f"Tags: {listed}."]
    return lines or ["No tags."]


def _names(links: list[str]) -> str:
    """MOCs named in a heading: all of up to four, else the first three and how many more."""
    if len(links) > 4:
        return f"{', '.join(links[:3])} and {len(links) - 3} more MOCs"
    return " and ".join([", ".join(links[:-1]), links[-1]]) if len(links) > 1 else links[0]


def _group_sentence(mocs: int, others: int) -> str:
    """What a group of `mocs` MOCs reaching `others` notes besides themselves means."""
    each = (
        "each other: each reaches the other"
        if mocs == 2
        else "one another: each reaches the others"
    )
    more = f"the same {_count(others)}, listed once below" if others else "no other note"
    return f"These {mocs} MOCs reach {each} and {more}."


def _group_lines(group: MocGroup, index: Index, item: Callable[[str], str]) -> Iterator[str]:
    """One section for MOCs that reach one another, listing what they reach once: a
    lone MOC's heading is its link and its summary follows; a group's names its MOCs
    and lists them with their summaries, then the other notes they reach."""
    e = index.entries
    yield from ["", f"### {_names([e[p].link for p in group.mocs])} ({group.count})", ""]
    if len(group.mocs) == 1:
        summary = e[group.mocs[0]].summary
        if summary:
            yield from [escape_text(summary), ""]
        yield from map(item, group.reaches)
        if not group.count:
            yield "No notes reached."
        return
    others = len(group.reaches) - len(group.mocs)
    yield from [_group_sentence(len(group.mocs), others), ""]
    yield from map(item, group.mocs)
    if others:
        yield from ["", f"Notes they reach ({others}):", ""]
        yield from map(item, group.others())


def _day(instant: dt.datetime | None) -> str:
    """The date of a recent note (every note in `recent` has a time: see `most_recent`)."""
    return instant.date().isoformat() if instant else "?"


def render_markdown(index: Index) -> str:
    """The whole index as Markdown text, ending with a newline."""
    return "".join(markdown_pieces(index))


def markdown_pieces(index: Index, batch: int = 4096) -> Iterator[str]:
    """The text of `render_markdown` in pieces of about `batch` lines, so that the index
    of a large vault is never held whole (issue 11 §5)."""
    pending: list[str] = []
    for line in _lines(index):
        pending.append(line)
        if len(pending) >= batch:
            pending.append("")
            yield "\n".join(pending)
            pending.clear()
    pending.append("")
    yield "\n".join(pending)


def _lines(index: Index) -> Iterator[str]:
    """The index's Markdown lines.

    A note is listed under its type, under each group of MOCs that reaches it and
    maybe as recent: each list item is escaped once and reused."""
    e = index.entries
    items: dict[str, str] = {}

    def item(path: str) -> str:
        found = items.get(path)
        if found is None:
            found = items[path] = _item(e[path])
        return found

    yield from [
        "# Index",
        "",
        f"Generated by kbtool on {index.today.isoformat()} from {_count(len(e))}.",
        "",
        "## Notes by type",
    ]
    for group in index.types:
        yield from ["", f"### {escape_text(group.label)} ({len(group.notes)})", ""]
        yield from map(item, group.notes)
    if not index.types:
        yield from ["", "No notes."]

    yield from ["", "## Tags", "", *_tag_lines(index.tags)]

    yield from ["", "## Maps of content"]
    for mocs in index.moc_groups:
        yield from _group_lines(mocs, index, item)
    if not index.mocs:
        yield from ["", "No MOC in this vault."]
    if index.unreached:
        yield from ["", f"### Not reached from any MOC ({len(index.unreached)})", ""]
        yield from map(item, index.unreached)

    yield from ["", "## Recently modified", ""]
    yield from [_item(e[p], f"{_day(e[p].modified)} ") for p in index.recent] or ["No notes."]
