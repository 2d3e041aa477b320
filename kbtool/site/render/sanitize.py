"""The last step of every rendered note: nh3 (ammonia) keeps only known-safe HTML.

Raw HTML in a note is the author's, but a published page is read by others,
so nothing that runs survives: no `<script>`, no event handlers, no
`javascript:` URL, no `data:` URL except an image's, no form, form field or frame (unless
`[site] allow_html` names them), no inline `style` (the pages' Content-Security-Policy
would block it anyway).
The whole rendered body goes through the cleaner, the markup kbtool itself
generates included, so a bug in a renderer cannot open a hole either.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

_TAGS = {
    "a", "abbr", "audio", "b", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "math", "mtext", "object", "ol", "p", "pre", "q", "s", "samp", "section",
    "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "video", "wbr",
}  # fmt: skip

_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "data-callout", "data-href"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "audio": {"src", "controls"},
    "video": {"src", "controls", "width", "height"},
    "source": {"src", "type"},
    "object": {"data", "type"},
    "details": {"open"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "math": {"display"},
    "time": {"datetime"},
}

#: What `[site] allow_html` can add back: the elements, and the attributes of each.
ALLOWABLE: dict[str, dict[str, set[str]]] = {
    "iframe": {"iframe": {"src", "width", "height", "loading"}},
    "form": {
        "form": {"action", "method"},
        "input": {"name", "type", "value", "placeholder", "checked", "required"},
        "button": {"type", "name", "value"},
        "label": {"for"},
        "select": {"name", "multiple", "required"},
        "option": {"value", "selected"},
        "textarea": {"name", "rows", "cols", "placeholder"},
        "fieldset": set(),
        "legend": set(),
    },
}

_URL_ATTRIBUTES = {"href", "src", "data", "action"}

#: How the note being cleaned maps a URL without a scheme to a page of the site (None: drop).
_local_url: ContextVar[Callable[[str], str | None] | None] = ContextVar("local_url", default=None)


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """`data:` only for an image's source (an image cannot run script); an `<object>` only
    for a PDF (the embed kbtool makes of one); no source from
    another host (pages load nothing from the network); a URL into the vault
    (`<img src="pic.png">`, `<a href="#Heading">` in raw HTML) through the resolver, or
    dropped."""
    if tag == "object" and attribute == "type":
        return value if value.strip().lower() == "application/pdf" else None
    if attribute not in _URL_ATTRIBUTES:
        return value
    if tag == "object" and not urlsplit(value).path.lower().endswith(".pdf"):
        return None  # an object is a document: an SVG or HTML one would run its scripts here
    lowered = value.strip().lower()
    if lowered.startswith("data:"):
        return value if tag == "img" and attribute == "src" else None
    if ":" in lowered.split("/", 1)[0] or lowered.startswith("//"):
        # a scheme: a link may leave the site, but nothing is loaded from the network
        return value if attribute == "href" else None
    local = _local_url.get()
    return value if local is None else local(value)


@lru_cache(maxsize=4)
def _cleaner(allow: frozenset[str]) -> nh3.Cleaner:
    tags, attributes = set(_TAGS), {tag: set(names) for tag, names in _ATTRIBUTES.items()}
    for kind in allow:
        for tag, names in ALLOWABLE[kind].items():
            tags.add(tag)
            attributes.setdefault(tag, set()).update(names)
    dropped_with_content = {"script", "style", "template", "iframe", "noscript"} - tags
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=dropped_with_content,
        attributes=attributes,
        attribute_filter=_filter,
        url_schemes={"http", "https", "mailto", "tel", "data"},
        link_rel=None,
        strip_comments=True,
    )


def sanitise(
    html: str,
    local_url: Callable[[str], str | None] | None = None,
    allow: frozenset[str] = frozenset(),
) -> str:
    """HTML with everything that could run, load from elsewhere or restyle the page removed.

    `local_url` maps each URL without a scheme to the site's URL for it, or None
    to drop it (so raw HTML never points at a page or file the site lacks).
    `allow` names the kinds of `ALLOWABLE` that the vault's `kbtool.toml` lets through.
    """
    token = _local_url.set(local_url)
    try:
        return _cleaner(allow).clean(html)
    finally:
        _local_url.reset(token)
