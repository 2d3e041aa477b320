"""Stable, readable URLs: one per note, attachment and generated page.

A note's URL is a slug of its vault path (`Networking/Kube Proxy.md` ->
`networking/kube-proxy.html`): lower case, so that a link never 404s on
letter case on a case-insensitive host; letters of every script kept, so that
a vault in Greek gets Greek URLs; everything else one `-`. Two paths that
slug alike get `-2`, `-3` in path order, so URLs do not change when an
unrelated note is added elsewhere. Pages are `.html` files, which every static
host serves without rewriting.

Heading ids come from the resolver's own heading normalisation
(`kbtool.vault.subpaths.heading_key`, Obsidian's `stripHeading`), so the anchor
of `## wifi 2.4 vs 5.0` is `wifi-2-4-vs-5-0`, which is what
`[[Note#wifi 2 4 vs 5 0]]` reaches. Block ids keep Obsidian's form `^id`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote, unquote

from kbtool.base.paths import without_md
from kbtool.vault.subpaths import heading_key

_NOT_WORD = re.compile(r"[^\w]+")

#: Pages and folders the site itself writes at the top; notes never take these URLs.
RESERVED = (
    "index.html", "404.html", "search.html", "review.html", "graph.html", "feed.xml",
    "sitemap.xml", "assets", "search", "tags", "_kbtool",
)  # fmt: skip
_RESERVED_FOLDERS = frozenset(r for r in RESERVED if "." not in r)


def slug(text: str, fallback: str = "note") -> str:
    """A URL-safe, readable component: NFC, lower case, runs of non-word characters as `-`."""
    cleaned = _NOT_WORD.sub("-", unicodedata.normalize("NFC", text).lower()).strip("-_")
    return cleaned or fallback


def heading_id(text: str) -> str:
    """The anchor of a heading: the resolver's heading key with `-` for spaces."""
    return heading_key(text).replace(" ", "-") or "section"


def block_anchor(block_id: str) -> str:
    """The anchor of a block `^id`: Obsidian's own `#^id`, lower-cased as ids compare."""
    return "^" + block_id.lstrip("^").lower()


def unique_ids(texts: Iterable[str]) -> list[str]:
    """Heading ids for a note's headings in order, `-2`, `-3` for repeats."""
    seen: dict[str, int] = {}
    ids: list[str] = []
    for text in texts:
        base = heading_id(text)
        count = seen.get(base, 0) + 1
        seen[base] = count
        ids.append(base if count == 1 else f"{base}-{count}")
    return ids


class UrlMap:
    """Output paths claimed so far, case-insensitively, and the base URL they are served under."""

    def __init__(self, base_url: str = "/") -> None:
        self.base_url = normalise_base_url(base_url)
        self._claimed: set[str] = {r.lower() for r in RESERVED}
        self._by_source: dict[str, str] = {}
        self._urls: dict[tuple[str, str], str] = {}  # quoting is a tenth of a page's cost

    def claim(self, wanted: str) -> str:
        """`wanted` (an output path), or `stem-2.ext`, `stem-3.ext`, ... if it is taken.

        Notes and attachments never land in a reserved top-level folder
        (`folder_path` renames such a folder); the site's own pages go there.
        """
        has_ext = "." in wanted.rsplit("/", 1)[-1]
        stem, dot, ext = wanted.rpartition(".") if has_ext else (wanted, "", "")
        candidate, n = wanted, 1
        while candidate.lower() in self._claimed:
            n += 1
            candidate = f"{stem}-{n}{dot}{ext}"
        self._claimed.add(candidate.lower())
        return candidate

    def reserve(self, rel: str) -> None:
        """Take `rel` as `claim` gave it in the last build (a kept page's path)."""
        self._claimed.add(rel.lower())

    def claimed(self) -> list[str]:
        """Every output path claimed so far (lower-cased), sorted."""
        return sorted(self._claimed)

    def add_note(self, path: str) -> str:
        """Give the note at vault path `path` its page path (call in vault order)."""
        parts = path.split("/")
        name = without_md(parts[-1])
        folder = self.folder_path("/".join(parts[:-1]))
        wanted = (folder + "/" if folder else "") + slug(name) + ".html"
        self._by_source[path] = out = self.claim(wanted)
        return out

    def add_attachment(self, path: str) -> str:
        """Give an attachment its output path: slugged folders and name, extension kept."""
        parts = path.split("/")
        stem, dot, ext = parts[-1].rpartition(".")
        name = slug(stem, "file") + dot + ext.lower() if dot else slug(parts[-1], "file")
        folder = self.folder_path("/".join(parts[:-1]))
        self._by_source[path] = out = self.claim((folder + "/" if folder else "") + name)
        return out

    @staticmethod
    @lru_cache(maxsize=4096)  # every note of a folder asks: slugged once
    def folder_path(folder: str) -> str:
        """The output folder of a vault folder: slugged; a top folder whose slug the site
        reserves (`tags`, `assets`, ...) gets `-notes` appended."""
        if not folder:
            return ""
        parts = [slug(p, "folder") for p in folder.split("/")]
        if parts[0] in RESERVED:
            parts[0] += "-notes"
        return "/".join(parts)

    def output_path(self, source: str) -> str | None:
        """The output path given to a note or attachment, or None."""
        return self._by_source.get(source)

    def url(self, output_path: str, fragment: str = "") -> str:
        """The URL of an output path under the base URL, percent-encoded."""
        found = self._urls.get((output_path, fragment))
        if found is None:
            anchor = "#" + quote(fragment, safe="^-_.~!$&'()*+,;=:@/?") if fragment else ""
            found = self._urls[(output_path, fragment)] = (
                self.base_url + quote(output_path) + anchor
            )
        return found

    def is_site_url(self, url: str) -> bool:
        """True when `url` (as `url()` writes it, any `#fragment`) names a file of the site."""
        if not url.startswith(self.base_url):
            return False
        path = unquote(url[len(self.base_url) :].split("#", 1)[0])
        return path.lower() in self._claimed and path.lower() not in _RESERVED_FOLDERS

    def url_of(self, source: str, fragment: str = "") -> str | None:
        out = self._by_source.get(source)
        return None if out is None else self.url(out, fragment)


def normalise_base_url(base_url: str) -> str:
    """`/docs` -> `/docs/`; a full `https://host/path` is kept; always ends in `/`."""
    base = base_url.strip() or "/"
    if "://" not in base and not base.startswith("/"):
        base = "/" + base
    return base if base.endswith("/") else base + "/"
