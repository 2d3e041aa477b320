"""The grammar of a wiki-link's inside, shared by the body scanner and property links.

`[[path#subpath|display]]`: the display text splits off at the first `|` (or
`\\|`, the form used inside tables), then the path splits from the subpath at
the first `#`. Whitespace around path and subpath is trimmed.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from kbtool.base.paths import without_md

_IMAGE_SIZE = re.compile(r"\d+(x\d+)?")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
#: What the target of a `[[wiki-link]]` cannot hold: `#` starts a heading, `^` a block,
#: `|` the display text, `[` and `]` end the link, and a link is on one line.
_UNLINKABLE = re.compile(r"[#|^\[\]\n\r]")


def split_wikilink(inner: str) -> tuple[str, str, str | None]:
    """Split the text between `[[` and `]]` into (path, subpath, display).

    The subpath keeps its leading `#`; it is empty when there is none.
    """
    if "|" not in inner and "#" not in inner:  # `[[Note]]`, most links: nothing to split
        return inner.strip(), "", None
    display: str | None = None
    bar = inner.find("|")
    if bar >= 0:
        display = inner[bar + 1 :]
        head = inner[:bar]
        if head.endswith("\\"):
            head = head[:-1]
    else:
        head = inner
    hash_at = head.find("#")
    if hash_at >= 0:
        path, subpath = head[:hash_at], head[hash_at:]
        subpath = "#" + subpath[1:].strip()
    else:
        path, subpath = head, ""
    return path.strip(), subpath if subpath != "#" else "", display


def can_be_link_target(name: str) -> bool:
    """Can `[[name]]` reach a note of this name? Not `C# language`: `#` cuts it short."""
    return _UNLINKABLE.search(name) is None


def is_image_size(display: str | None) -> bool:
    """`![[pic.png|100]]` and `|100x145` size an image instead of naming it."""
    return display is not None and _IMAGE_SIZE.fullmatch(display.strip()) is not None


def has_scheme(destination: str) -> bool:
    """A Markdown destination with a scheme (`https:`, `mailto:`, `obsidian:`) is external."""
    return _SCHEME.match(destination) is not None


def decode_markdown_destination(destination: str) -> str:
    """Percent-decode a Markdown link destination and drop `<...>` brackets."""
    dest = destination.strip()
    if dest.startswith("<") and dest.endswith(">"):
        dest = dest[1:-1]
    return unquote(dest)


def normalise_target(path: str) -> str:
    """Normalise a link path for lookup: no leading `/`, NFC, no trailing `.md`."""
    p = unicodedata.normalize("NFC", path.strip()).lstrip("/")
    return without_md(p)
