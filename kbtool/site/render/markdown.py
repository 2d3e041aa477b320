"""The markdown-it-py parser of the site, with the plugins and Obsidian's syntax."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from kbtool.site.render import syntax
from kbtool.site.render.code import highlight_fence


class SiteRenderer(RendererHTML):
    """markdown-it's HTML renderer that can leave ids out (inside a transclusion, where
    the embedded note's ids would repeat the host page's)."""

    def __init__(self, parser: Any = None) -> None:
        super().__init__(parser)
        self.without_ids = 0

    def renderAttrs(self, token: Token) -> str:  # type: ignore[override]
        if self.without_ids and token.attrGet("id") is not None:
            token = with_attrs(token, {k: v for k, v in token.attrs.items() if k != "id"})
        return RendererHTML.renderAttrs(token)


def with_attrs(token: Token, attrs: dict[str, str | int | float]) -> Token:
    """A copy of `token` with its own attributes (`Token.copy` shares the dict; the tokens
    of an embedded note are rendered again on every page that embeds it)."""
    return token.copy(attrs=attrs)


def build_parser(*, raw_html: bool) -> MarkdownIt:
    """CommonMark plus tables, strikethrough, footnotes, definition lists, task lists, math,
    wiki-links, highlights, callouts and anchors. `raw_html=False` shows HTML as text."""
    md = MarkdownIt(
        "commonmark",
        {"html": raw_html, "highlight": highlight_fence},
        renderer_cls=SiteRenderer,
    )
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin).use(tasklists_plugin)
    md.use(dollarmath_plugin, double_inline=True)
    md.inline.ruler.before("link", "wikilink", syntax.wikilink)
    md.inline.ruler.before("link", "highlight", syntax.highlight)
    md.core.ruler.after("block", "callouts", syntax.callouts)
    md.core.ruler.push("task_boxes", syntax.task_boxes)
    md.core.ruler.push("anchors", syntax.anchors)
    md.core.ruler.push("lift_embeds", syntax.lift_embeds)
    return md


def slice_of(tokens: Sequence[Token], start: int) -> list[Token]:
    """The tokens from an opening token to its closing one (or the one token)."""
    if tokens[start].nesting != 1:
        return [tokens[start]]
    depth = 0
    for end in range(start, len(tokens)):
        depth += tokens[end].nesting
        if depth == 0:
            return list(tokens[start : end + 1])
    return list(tokens[start:])
