"""Obsidian's syntax as markdown-it rules: wiki-links, `==highlights==`, callouts, anchors.

Parsing only: the rules put tokens in the stream (and ids on block tokens);
what a link points to is decided when it is rendered (`note.py`), through the
vault's resolver. The anchors follow the scanner's findings (which headings
and block ids a note has, on which line), so a page's ids are exactly the
targets that `check` accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

WIKILINK = "wikilink"

_CALLOUT = re.compile(r"^\[!([^\]\s]+)\]([+-]?)[ \t]*(.*)$")
_BLOCK_ID = re.compile(r"\^([A-Za-z0-9-]+)[ \t]*$")
_TASK_BOX = re.compile(r'^<input class="task-list-item-checkbox"(?P<checked> checked="checked")?')


@dataclass
class ParseContext:
    """What the anchor rules need to know of the note being parsed."""

    body_line: int  # file line of the body's first line
    heading_ids: dict[int, str] = field(default_factory=dict)  # file line -> id
    block_ids: dict[int, list[str]] = field(default_factory=dict)  # file line -> anchors


def wikilink(state: StateInline, silent: bool) -> bool:
    """`[[target]]` and `![[target]]` as one `wikilink` token holding the text inside.

    The link ends at the first `]]`, so a lone `]` does not close it (`[[Sq]uare]]`).
    """
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    if not embed and not src.startswith("[[", pos):
        return False
    start = pos + (3 if embed else 2)
    end = src.find("]]", start, state.posMax)
    if end < 0:
        return False
    inner = src[start:end]
    if not inner.strip() or "\n" in inner:
        return False
    if not silent:
        token = state.push(WIKILINK, "", 0)
        token.meta = {"inner": inner, "embed": embed}
        token.content = src[pos : end + 2]
    state.pos = end + 2
    return True


def highlight(state: StateInline, silent: bool) -> bool:
    """`==text==` as `<mark>`; the inside is parsed as inline Markdown."""
    src, pos = state.src, state.pos
    if not src.startswith("==", pos) or src.startswith("===", pos):
        return False
    start = pos + 2
    end = src.find("==", start, state.posMax)
    if end <= start or src[start].isspace() or src[end - 1].isspace():
        return False
    if not silent:
        state.push("mark_open", "mark", 1)
        old_max = state.posMax
        state.pos, state.posMax = start, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("mark_close", "mark", -1)
    state.pos = end + 2
    return True


def callouts(state: StateCore) -> None:
    """`> [!type]± Title` blockquotes become callout tokens (before inline parsing).

    `+` or `-` after the type makes it foldable (a `<details>`, open for `+`);
    the title is parsed as inline Markdown; nested callouts work because every
    blockquote is looked at, inner ones included.
    """
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "blockquote_open" and _starts_callout(tokens, i):
            _make_callout(state, i)
        i += 1


def _starts_callout(tokens: list[Token], i: int) -> bool:
    return (
        i + 2 < len(tokens)
        and tokens[i + 1].type == "paragraph_open"
        and tokens[i + 2].type == "inline"
        and _CALLOUT.match(tokens[i + 2].content.split("\n", 1)[0]) is not None
    )


def _make_callout(state: StateCore, i: int) -> None:
    tokens = state.tokens
    opening, inline = tokens[i], tokens[i + 2]
    first, _, rest = inline.content.partition("\n")
    match = _CALLOUT.match(first)
    assert match is not None
    kind = re.sub(r"[^a-z0-9-]", "", match.group(1).lower()) or "note"
    fold = match.group(2)
    title = match.group(3).strip() or kind.capitalize()
    closing = _matching_close(tokens, i)
    meta = {"kind": kind, "fold": fold}
    opening.type, opening.meta = "callout_open", meta
    closing.type, closing.meta = "callout_close", meta
    title_inline = Token("inline", "", 0, content=title, map=opening.map, level=opening.level + 1)
    title_inline.children = []
    head = [
        Token("callout_title_open", "", 1, meta=meta, level=opening.level + 1),
        title_inline,
        Token("callout_title_close", "", -1, meta=meta, level=opening.level + 1),
    ]
    if rest.strip():
        inline.content = rest
        if inline.map:
            inline.map = [inline.map[0] + 1, inline.map[1]]
        tokens[i + 1 : i + 1] = head
    else:  # the title line was the whole first paragraph: drop that paragraph
        tokens[i + 1 : i + 4] = head


def _matching_close(tokens: list[Token], i: int) -> Token:
    depth = 0
    for token in tokens[i:]:
        depth += token.nesting
        if depth == 0:
            return token
    return tokens[-1]


def task_boxes(state: StateCore) -> None:
    """The task-list plugin's `<input>` becomes a `task_box` token (no form field on a page)."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "html_inline":
                match = _TASK_BOX.match(child.content)
                if match:
                    child.type, child.content = "task_box", ""
                    child.meta = {"checked": bool(match.group("checked"))}


def anchors(state: StateCore) -> None:
    """Ids on headings (by their line) and on blocks whose line ends in `^id`."""
    ctx: ParseContext | None = state.env.get("kb_parse")
    if ctx is None:
        return
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.map is None:
            continue
        if token.type == "heading_open":
            anchor = ctx.heading_ids.get(ctx.body_line + token.map[0])
            if anchor:
                token.attrSet("id", anchor)
        elif token.type == "inline" and ctx.block_ids and i > 0:
            _block_anchor(tokens, i, ctx)


def _block_anchor(tokens: list[Token], i: int, ctx: ParseContext) -> None:
    inline = tokens[i]
    assert inline.map is not None
    last_line = ctx.body_line + inline.map[1] - 1
    wanted = ctx.block_ids.get(last_line)
    children = inline.children or []
    if not wanted or not children or children[-1].type != "text":
        return
    match = _BLOCK_ID.search(children[-1].content)
    if match is None or "^" + match.group(1).lower() not in wanted:
        return
    children[-1].content = children[-1].content[: match.start()].rstrip()
    alone = len(children) == 1 and not children[-1].content
    after_break = len(children) >= 2 and children[-2].type == "softbreak"
    if after_break and not children[-1].content:
        children.pop()
        children.pop()
    target = _anchor_target(tokens, i, alone, after_break)
    if alone:  # a `^id` paragraph of its own names the block before it
        tokens[i - 1].hidden = True
        tokens[i + 1].hidden = True
    if target is not None and target.attrGet("id") is None:
        target.attrSet("id", "^" + match.group(1).lower())


def _anchor_target(tokens: list[Token], i: int, alone: bool, after_break: bool) -> Token | None:
    """The block an id belongs to: the paragraph (or its list item); for an id on a line
    of its own, the list, quote, callout or table it follows."""
    paragraph = tokens[i - 1]
    container = _container(tokens, i - 1)
    in_item = container is not None and container.type == "list_item_open"
    if alone and i >= 2 and tokens[i - 2].nesting == -1:
        return _matching_open(tokens, i - 2)
    if after_break and in_item:
        assert container is not None
        return _container(tokens, tokens.index(container))
    if after_break and container is not None and container.type != "list_item_open":
        return container
    return container if in_item else paragraph


def _container(tokens: list[Token], i: int) -> Token | None:
    level = tokens[i].level
    for j in range(i - 1, -1, -1):
        if tokens[j].nesting == 1 and tokens[j].level < level:
            return tokens[j]
    return None


def _matching_open(tokens: list[Token], close_index: int) -> Token | None:
    depth = 0
    for j in range(close_index, -1, -1):
        depth += tokens[j].nesting
        if depth == 0:
            return tokens[j]
    return None


def lift_embeds(state: StateCore) -> None:
    """A paragraph that is one embed and nothing else renders as the embed itself (a
    transcluded note is a block; it cannot sit inside a `<p>`). Its id goes with it."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open":
            continue
        parts = [
            c for c in token.children or () if not (c.type == "text" and not c.content.strip())
        ]
        if len(parts) == 1 and parts[0].type == WIKILINK and parts[0].meta["embed"]:
            parts[0].meta["block"] = True
            anchor = tokens[i - 1].attrGet("id")
            if anchor is not None:
                parts[0].meta["id"] = anchor
                del tokens[i - 1].attrs["id"]
            tokens[i - 1].hidden = tokens[i + 1].hidden = True
