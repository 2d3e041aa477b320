"""Where a link on a page goes: the vault's one resolver, then the site's URL map.

`check` and the site resolve through the same `Resolver` (`vault.resolver`),
so a link that `check` accepts is a working `<a>` here, and one it reports
(KB201, KB205) is inert text: never a link to a page that does not exist.
Heading and block subpaths land on the anchors the renderer gives headings
and blocks (`urls.heading_id`, `urls.block_anchor`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbtool.site.urls import UrlMap, block_anchor, unique_ids
from kbtool.vault.load import Vault
from kbtool.vault.resolve import is_note
from kbtool.vault.subpaths import subpath_kind

if TYPE_CHECKING:
    from kbtool.site.incremental import Deps


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved link: its URL, or None with the reason it goes nowhere."""

    url: str | None
    path: str | None  # the vault file reached
    anchor: str = ""
    problem: str = ""  # why there is no URL, or why the anchor is missing


class SiteLinks:
    """Resolves links for the pages of one build."""

    def __init__(self, vault: Vault, urls: UrlMap) -> None:
        self.vault = vault
        self.resolver = vault.resolver
        self.urls = urls
        self._heading_ids: dict[str, dict[int, str]] = {}
        self.deps: Deps | None = None  # while a body renders: what it resolves, recorded

    def is_site_url(self, url: str) -> bool:
        """`UrlMap.is_site_url`, recorded while a body renders."""
        found = self.urls.is_site_url(url)
        if self.deps is not None:
            self.deps.site_urls[url] = found
        return found

    def heading_ids(self, path: str) -> dict[int, str]:
        """The anchor of each heading of a note, by its file line."""
        ids = self._heading_ids.get(path)
        if ids is None:
            headings = self.vault.notes[path].headings
            ids = dict(
                zip((h.line for h in headings), unique_ids(h.text for h in headings), strict=True)
            )
            self._heading_ids[path] = ids
        return ids

    def resolve(self, source: str, path: str, subpath: str) -> Target:
        """The target of a link with `path` and `subpath` written in the note `source`."""
        target = self._target(source, path, subpath)
        if self.deps is not None:
            self.deps.links[(source, path, subpath)] = (
                target.url,
                target.path,
                target.anchor,
                target.problem,
            )
        return target

    def _target(self, source: str, path: str, subpath: str) -> Target:
        found = self.resolver.resolve(path, source)
        if found.target is None:
            return Target(None, None, "", f"no note or file named '{path}' in the vault")
        page = self.urls.output_path(found.target)
        if page is None:
            return Target(None, found.target, "", f"'{found.target}' is not published")
        anchor, problem = self._anchor(found.target, subpath)
        return Target(self.urls.url(page, anchor), found.target, anchor, problem)

    def _anchor(self, target: str, subpath: str) -> tuple[str, str]:
        if not is_note(target):
            return subpath[1:], ""  # a PDF's #page=3 goes to the viewer
        kind = subpath_kind(subpath)
        if kind == "none":
            return "", ""
        index = self.resolver.subpath_index(target)
        if kind == "block":
            block = index.find_block(subpath)
            return (block_anchor(block.id), "") if block else ("", f"no block {subpath[1:]}")
        heading = index.find_heading(subpath)
        if heading is None:
            return "", f"no heading {subpath}"
        return self.heading_ids(target).get(heading.line, ""), ""
