"""The last step of every rendered note: nh3 (ammonia) keeps only known-safe HTML.

Raw HTML in a note is the author's, but a published page is read by others,
so nothing that runs survives: no `<script>`, no event handlers, no
`javascript:` URL, no `data:` URL except an image's, no form, form field or frame, no
inline `style` (the pages' Content-Security-Policy would block it anyway).
The whole rendered body goes through the cleaner, the markup kbtool itself
generates included, so a bug in a renderer cannot open a hole either.
"""

from __future__ import annotations

from functools import lru_cache

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

_URL_ATTRIBUTES = {"href", "src", "data"}


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """`data:` only for an image's source (an image cannot run script)."""
    if attribute in _URL_ATTRIBUTES and value.strip().lower().startswith("data:"):
        return value if tag == "img" and attribute == "src" else None
    return value


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=_TAGS,
        clean_content_tags={"script", "style", "template", "iframe", "noscript"},
        attributes=_ATTRIBUTES,
        attribute_filter=_filter,
        url_schemes={"http", "https", "mailto", "tel", "data"},
        link_rel=None,
        strip_comments=True,
    )


def sanitise(html: str) -> str:
    """HTML with everything that could run, load from elsewhere or restyle the page removed."""
    return _cleaner().clean(html)
