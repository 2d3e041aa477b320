"""Heading and block subpaths: does `[[Note#A#B]]` or `[[Note#^id]]` reach something?

Headings compare the way Obsidian's `stripHeading` leaves them: each of
``! " # $ % & ( ) * + , . : ; < = > ? @ ^ ` { | } ~ / [ ] \\`` becomes a space,
white space collapses, ends are trimmed, and the comparison ignores case (so
`[[Note#wifi 2 4 vs 5 0]]` reaches `## wifi 2.4 vs 5.0`). A chain `#A#B#C`
needs C nested under B nested under A (ancestors, not necessarily parents).

Block ids compare case-insensitively: Obsidian's metadata cache keys blocks
by the lower-cased id, so `[[Note#^AbC]]` reaches `^abc`.

Opt-in (`[links] heading_slugs`): "github" compares GitHub's anchors instead,
as Foam, VS Code and GitHub read `[Key features](#key-features)`: both sides
become slugs (lower case, punctuation dropped, each space a `-`, a repeated
heading's slug numbered `-1`, `-2`); "both" accepts either comparison.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from kbtool.model import BlockId, Heading, Note

_STRIPPED = re.compile(r"[!\"#$%&()*+,.:;<=>?@^`{|}~/\[\]\\]")

SubpathKind = Literal["none", "heading", "block"]
SlugStyle = Literal["obsidian", "github", "both"]


def strip_heading(text: str) -> str:
    """Obsidian's `stripHeading`: punctuation to spaces, white space collapsed, trimmed."""
    return " ".join(_STRIPPED.sub(" ", text).split())


@lru_cache(maxsize=65536)
def heading_key(text: str) -> str:
    """What two headings compare by: stripped and lower-cased (memoised: vaults repeat
    the same headings, `## Summary`, `## Related`, thousands of times)."""
    return strip_heading(text).lower()


def github_slug(text: str) -> str:
    """GitHub's heading anchor (github-slugger): lower-cased, every character that is
    not a letter, mark, digit, `_`, `-` or space removed, each space a `-`."""
    kept = (c for c in text.strip().lower() if c in "-_ " or unicodedata.category(c)[0] in "LMN")
    return "".join(kept).replace(" ", "-")


def _github_slugs(headings: tuple[Heading, ...] | list[Heading]) -> dict[str, Heading]:
    """Each heading by its anchor; a repeated slug gets `-1`, `-2`, ... as on GitHub."""
    seen: dict[str, int] = {}
    anchors: dict[str, Heading] = {}
    for heading in headings:
        base = slug = github_slug(heading.text)
        while slug in seen:
            seen[base] += 1
            slug = f"{base}-{seen[base]}"
        seen[slug] = 0
        anchors[slug] = heading
    return anchors


def subpath_kind(subpath: str) -> SubpathKind:
    """`#^id` is a block, `#Heading` a heading, "" no subpath.

    A heading path with no heading in it (`#`, `##`, `# #`) names nothing, so it is
    no subpath, as in Obsidian, which opens the note at its top: every caller that
    reads a "heading" subpath can rely on `heading_chain` having a last element.
    A PDF's `#page=3` reads as a heading here; callers check subpaths only on
    notes, never on attachments, so it is never looked up.
    """
    if subpath.startswith("#^"):
        return "block"
    return "heading" if heading_chain(subpath) else "none"


def heading_chain(subpath: str) -> list[str]:
    """`#A#B` -> ["A", "B"] (empty and blank segments dropped)."""
    return [part.strip() for part in subpath.split("#") if part.strip()]


def _is_subsequence(wanted: list[str], within: list[str]) -> bool:
    remaining = iter(within)
    return all(any(w == item for item in remaining) for w in wanted)


class SubpathIndex:
    """Lookups of `#A#B` and `#^id` subpaths in one note's headings and block ids.

    It holds nothing but the note: a note has a handful of headings, so a lookup
    walks them (each heading's key is memoised by `heading_key`), and a vault
    whose every note is a link target keeps no per-note dictionaries for it. Only
    GitHub anchors (opt-in) are kept once made, since numbering repeats needs all.
    """

    __slots__ = ("note", "style", "_anchors")

    def __init__(self, note: Note, style: SlugStyle = "obsidian") -> None:
        self.note = note
        self.style = style
        self._anchors: dict[str, Heading] | None = None

    @classmethod
    def for_note(cls, note: Note, style: SlugStyle = "obsidian") -> SubpathIndex:
        return cls(note, style)

    @property
    def anchors(self) -> dict[str, Heading]:
        """Each heading by its GitHub slug (`-1`, `-2` for repeats)."""
        if self._anchors is None:
            self._anchors = _github_slugs(self.note.headings)
        return self._anchors

    def find_heading(self, subpath: str) -> Heading | None:
        """The heading a `#A#B` subpath reaches, or None."""
        found = None
        if self.style != "github":
            found = self._find_obsidian(subpath)
        if found is None and self.style != "obsidian":
            found = self._find_github(subpath)
        return found

    def _find_obsidian(self, subpath: str) -> Heading | None:
        chain = [heading_key(part) for part in heading_chain(subpath)]
        if not chain:
            return None
        last = chain[-1]
        for heading in self.note.headings:
            if heading_key(heading.text) != last:
                continue
            if len(chain) == 1:
                return heading
            if _is_subsequence(chain[:-1], [heading_key(p) for p in heading.parents]):
                return heading
        return None

    def _find_github(self, subpath: str) -> Heading | None:
        """`#key-features` (or `#Key Features`, slugged alike) as GitHub anchors it; in
        a chain `#A#B`, B's anchor under headings whose slugs are A's."""
        chain = [github_slug(part) for part in heading_chain(subpath)]
        heading = self.anchors.get(chain[-1]) if chain else None
        if heading is None or len(chain) == 1:
            return heading
        parents = [github_slug(p) for p in heading.parents]
        return heading if _is_subsequence(chain[:-1], parents) else None

    def find_block(self, subpath: str) -> BlockId | None:
        """The block a `#^id` subpath reaches (the first of that id), or None."""
        wanted = subpath[2:].strip().lower()
        for block in self.note.block_ids:
            if block.id.lstrip("^").lower() == wanted:
                return block
        return None

    def closest_heading(self, subpath: str) -> str | None:
        """A subpath that exists and is close to `subpath`, for "did you mean".

        When the last heading exists but not under the given chain, the answer is
        its real chain (`#Top#Sub`); otherwise the closest heading by spelling. With
        GitHub slugs only, the answer is the heading's anchor (`#key-features`).
        """
        chain = heading_chain(subpath)
        if not chain or not self.note.headings:
            return None
        first: dict[str, Heading] = {}
        for heading in self.note.headings:
            first.setdefault(heading_key(heading.text), heading)
        same = first.get(heading_key(chain[-1]))
        if same is not None:
            return self._shown(same, "#" + "#".join((*same.parents, same.text)))
        from rapidfuzz import fuzz, process

        match = process.extractOne(
            heading_key(chain[-1]), list(first), scorer=fuzz.ratio, score_cutoff=70
        )
        if not match:
            return None
        heading = first[match[0]]
        return self._shown(heading, "#" + heading.text)

    def _shown(self, heading: Heading, obsidian_form: str) -> str:
        if self.style != "github":
            return obsidian_form
        return "#" + next(slug for slug, h in self.anchors.items() if h is heading)


def section_lines(note: Note, heading: Heading) -> tuple[int, int]:
    """The lines a heading's section spans: to the next heading of the same or a higher level."""
    end = 1 << 30
    after = False
    for other in note.headings:
        if other is heading:
            after = True
            continue
        if after and other.line > heading.line and other.level <= heading.level:
            end = other.line - 1
            break
    return heading.line, end
