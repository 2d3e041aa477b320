"""What a page shows around a note's body: properties, tags, breadcrumbs, backlinks, review.

Plain data for the templates; every string here is the note's own text and
is escaped by jinja2's autoescape when the page is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kbtool.model import Note
from kbtool.notes.linktext import split_wikilink
from kbtool.site.render.links import SiteLinks
from kbtool.site.render.note import link_label
from kbtool.site.source import NoteTexts
from kbtool.site.urls import UrlMap, slug
from kbtool.vault.resolve import ResolvedLink, is_note

_WIKILINK = re.compile(r"^\s*\[\[([^\]]+)\]\]\s*$")
_INLINE_LINK = re.compile(r"!?\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")
_MARKERS = re.compile(r"^\s*(?:[-*+]|\d+[.)]|>|#+)\s+(?:\[.\]\s+)?")
SNIPPET_CHARS = 200


@dataclass(frozen=True, slots=True)
class Value:
    """One displayed property value: text, and a URL when it is a link."""

    text: str
    url: str | None = None
    broken: str = ""  # tooltip of a link that goes nowhere


@dataclass(frozen=True, slots=True)
class Crumb:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Backlink:
    title: str
    url: str
    snippets: tuple[str, ...]


@dataclass
class TagNode:
    """A tag (nested with `/`), its page, and the notes tagged with it or a child of it."""

    name: str  # full name, as first written
    url: str = ""
    notes: set[str] = field(default_factory=set)  # tagged exactly
    children: dict[str, TagNode] = field(default_factory=dict)

    def all_notes(self) -> set[str]:
        found = set(self.notes)
        for child in self.children.values():
            found |= child.all_notes()
        return found


def property_values(note: Note, value: Any, links: SiteLinks) -> list[Value]:
    """A property as displayed: a list item each, wiki-links resolved, web URLs linked."""
    items = value if isinstance(value, list) else [value]
    out: list[Value] = []
    for item in items:
        if item is None or item == "":
            continue
        if isinstance(item, dt.datetime | dt.date):
            out.append(Value(item.isoformat()))
            continue
        if isinstance(item, bool):
            out.append(Value("true" if item else "false"))
            continue
        text = str(item)
        match = _WIKILINK.match(text) if isinstance(item, str) else None
        if match:
            path, subpath, display = split_wikilink(match.group(1))
            target = links.resolve(note.path, path, subpath)
            label = display.strip() if display else link_label(path, subpath)
            out.append(Value(label, target.url, target.problem if target.url is None else ""))
        elif isinstance(item, str) and re.match(r"^https?://\S+$", text):
            out.append(Value(text, text))
        else:
            out.append(Value(text))
    return out


def breadcrumbs(folder: str, urls: UrlMap, folder_pages: dict[str, str]) -> list[Crumb]:
    """Home, then each folder above the note, each linking to its folder page."""
    crumbs = [Crumb("Home", urls.url("index.html"))]
    if not folder:
        return crumbs
    parts = folder.split("/")
    for i in range(len(parts)):
        path = "/".join(parts[: i + 1])
        crumbs.append(Crumb(parts[i], urls.url(folder_pages[path])))
    return crumbs


@lru_cache(maxsize=4096)  # a line that links three notes is quoted on three pages
def snippet(line: str) -> str:
    """A backlink's context: the line that links, list markers dropped, links as their text."""
    text = _MARKERS.sub("", line)
    text = _INLINE_LINK.sub(lambda m: (m.group(2) or m.group(1)).split("#")[0].strip(), text)
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


def quotes(note: Note, links: list[ResolvedLink], texts: NoteTexts) -> dict[str, tuple[str, ...]]:
    """What the notes `note` links to quote of it among their backlinks: for each (itself
    aside), the first three distinct lines that link there (a property's link as
    `key: [[link]]`). Kept with the note between builds: a page's backlinks read no
    other note's text."""
    by_target: dict[str, list[str]] = {}
    for item in links:
        target = item.target
        if target is None or target == note.path or not is_note(target):
            continue
        if item.link.property_key is not None:
            text = f"{item.link.property_key}: {item.link.raw}"
        else:
            lines = texts.lines(note.path)
            index = item.link.line - note.body_line
            text = lines[index] if 0 <= index < len(lines) else ""
        found = snippet(text)
        seen = by_target.setdefault(target, [])
        if found and found not in seen:
            seen.append(found)
    return {target: tuple(found[:3]) for target, found in by_target.items()}


def backlinks(
    note: Note,
    linkers: list[str],
    quoted: Mapping[str, Mapping[str, tuple[str, ...]]],
    urls: UrlMap,
    notes: Mapping[str, Note],
) -> list[Backlink]:
    """The notes that link here (`linkers`, in vault order), each with the lines that link
    (`quoted`: each note's `quotes`)."""
    by_source = {p: quoted[p].get(note.path, ()) for p in linkers if p != note.path}
    result = []
    for path in sorted(by_source, key=lambda p: notes[p].title.lower()):
        url = urls.url_of(path)
        if url is not None:
            result.append(Backlink(notes[path].title, url, by_source[path]))
    return result


def outgoing(note: Note, links: SiteLinks, urls: UrlMap) -> list[dict[str, str]]:
    """The notes this note links to (body and properties), each once, in the order first
    linked: the page lists them, and its neighbourhood graph is drawn from them."""
    seen: dict[str, dict[str, str]] = {}
    for item in links.resolver.links_of(note):
        target = item.target
        if target is None or target == note.path or target in seen or not is_note(target):
            continue
        url = urls.url_of(target)
        if url is not None:
            seen[target] = {"title": links.resolver.note(target).title, "url": url}
    return list(seen.values())


def tag_tree(tags: Mapping[str, list[str]]) -> TagNode:
    """Every tag of the vault as a tree (case-insensitive, as Obsidian compares tags), from
    each note's path and tags (`note_tags`)."""
    root = TagNode("")
    for path, found in tags.items():
        for tag in found:
            node = root
            parts = [p for p in tag.split("/") if p]
            for i, part in enumerate(parts):
                key = part.lower()
                if key not in node.children:
                    node.children[key] = TagNode("/".join(parts[: i + 1]))
                node = node.children[key]
            node.notes.add(path)
    return root


def tag_page_path(name: str) -> str:
    return "tags/" + "/".join(slug(p, "tag") for p in name.split("/")) + ".html"
