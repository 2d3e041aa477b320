"""A crawler for a built site: every internal `href` and `src` must name a file it holds,
and every `#fragment` an id on that page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_URL_ATTRS = {"href", "src", "data"}
_SCRIPT_URL = re.compile(r"\s*(javascript|vbscript|data):", re.IGNORECASE)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()
        self.inline: list[str] = []  # what a strict CSP would block: on*=, style=, inline <script>
        self.script_urls: list[str] = []  # javascript:, vbscript: or data: (but an image's)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        self.inline += [f"{tag} {n}" for n in names if n.startswith("on") or n == "style"]
        if tag == "script" and "src" not in names:
            self.inline.append("inline script")
        for name, value in attrs:
            if value is None:
                continue
            if _SCRIPT_URL.match(value) and not (tag == "img" and name == "src"):
                self.script_urls.append(f"{tag} {name}={value}")
            if name == "id":
                self.ids.add(value)
            elif name in _URL_ATTRS and tag != "form":
                self.urls.append((tag, name, value))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return page


def dead_links(out: Path, base: str = "/") -> list[str]:
    """`page: url` for every internal URL that reaches no file or no id in the site."""
    pages = {p: _parse(p) for p in out.rglob("*.html")}
    dead: list[str] = []
    for path, page in pages.items():
        rel = path.relative_to(out).as_posix()
        for _tag, _attr, url in page.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # external: not this crawler's business
            if not parts.path:
                target = path
            elif parts.path.startswith(base):
                target = out / unquote(parts.path[len(base) :])
            else:
                dead.append(f"{rel}: {url} (not under the base URL)")
                continue
            if not target.is_file():
                dead.append(f"{rel}: {url}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if fragment not in ids:
                    dead.append(f"{rel}: {url} (no id {fragment!r})")
    return dead


def inline_code(out: Path) -> list[str]:
    """`page: what` for each event handler, style attribute, inline script or script URL
    (`javascript:`, `vbscript:`, a `data:` URL but an image's) in the site."""
    found: list[str] = []
    for path in out.rglob("*.html"):
        page = _parse(path)
        found += [f"{path.relative_to(out)}: {what}" for what in page.inline + page.script_urls]
    return found
