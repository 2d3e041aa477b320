"""CommonMark's raw-HTML grammar, as markdown-it-py writes it (`markdown_it.common`).

Copied, not imported: importing any part of markdown-it-py imports all of it (a
tenth of a second), and `check` needs only these strings. tests/test_htmlgrammar.py
holds them equal to the installed markdown-it-py's, so the scanner and the
site's renderer read raw HTML alike.
"""

from __future__ import annotations

import re

_ATTR_NAME = "[a-zA-Z_:][a-zA-Z0-9:._-]*"
_UNQUOTED = "[^\"'=<>`\\x00-\\x20]+"
_SINGLE_QUOTED = "'[^']*'"
_DOUBLE_QUOTED = '"[^"]*"'
_ATTR_VALUE = "(?:" + _UNQUOTED + "|" + _SINGLE_QUOTED + "|" + _DOUBLE_QUOTED + ")"
_ATTRIBUTE = "(?:\\s+" + _ATTR_NAME + "(?:\\s*=\\s*" + _ATTR_VALUE + ")?)"
_OPEN_TAG = "<[A-Za-z][A-Za-z0-9\\-]*" + _ATTRIBUTE + "*\\s*\\/?>"
_CLOSE_TAG = "<\\/[A-Za-z][A-Za-z0-9\\-]*\\s*>"
_COMMENT = "<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->"
_PROCESSING = "<[?][\\s\\S]*?[?]>"
_DECLARATION = "<![A-Za-z][^>]*>"
_CDATA = "<!\\[CDATA\\[[\\s\\S]*?\\]\\]>"

#: Any inline HTML tag; no leading `^`: applied with `.match(src, pos)`.
HTML_TAG_RE = re.compile(
    "(?:" + "|".join((_OPEN_TAG, _CLOSE_TAG, _COMMENT, _PROCESSING, _DECLARATION, _CDATA)) + ")"
)
#: A line that is only an open or a close tag starts an HTML block of kind 7.
HTML_OPEN_CLOSE_TAG_STR = "^(?:" + _OPEN_TAG + "|" + _CLOSE_TAG + ")"

#: The tag names that start an HTML block of kind 6.
BLOCK_NAMES = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
]
