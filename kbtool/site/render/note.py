"""Render one note's body to safe HTML: links through the resolver, embeds transcluded.

Transclusion follows KB207's logic: an embed of a note, a heading's section or
a block shows that part, rendered in the context of the embedded note (its
links resolve from there), and stops where the same part is already being
shown further up (a loop) or after `MAX_EMBED_DEPTH` levels; either way the
reader gets a link instead. Ids are left out inside a transclusion, so a page
never holds one id twice.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import unquote

from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from kbtool.model import Note
from kbtool.notes.linktext import has_scheme, is_image_size, split_wikilink
from kbtool.site.render.code import math_html
from kbtool.site.render.links import SiteLinks, Target
from kbtool.site.render.markdown import SiteRenderer, build_parser, slice_of, with_attrs
from kbtool.site.render.sanitize import sanitise
from kbtool.site.render.syntax import ParseContext
from kbtool.site.urls import block_anchor
from kbtool.vault.resolve import is_note
from kbtool.vault.subpaths import heading_chain, subpath_kind

MAX_EMBED_DEPTH = 4
_ID = re.compile(r'\sid="([^"]*)"')

IMAGE = frozenset(["avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp"])
AUDIO = frozenset(["flac", "m4a", "mp3", "ogg", "wav"])
VIDEO = frozenset(["webm", "3gp", "mkv", "mov", "mp4", "ogv"])


@dataclass(frozen=True, slots=True)
class Parsed:
    tokens: list[Token]
    env: dict[str, Any]


def _ext(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def _attr(value: str) -> str:
    return escape(value, quote=True)


def link_label(path: str, subpath: str) -> str:
    """What Obsidian shows for `[[path#A#B]]` without display text: `path > A > B`."""
    parts = [subpath[1:]] if subpath_kind(subpath) == "block" else heading_chain(subpath)
    return " > ".join([path, *parts] if path else parts) or path


def broken(label: str, why: str, kind: str = "broken-link") -> str:
    """A link that goes nowhere: inert text with a class and a tooltip, never an `<a>`."""
    return f'<span class="{kind}" title="{_attr(why)}">{escape(label)}</span>'


class NoteRenderer:
    """Renders the notes of one vault for one build."""

    def __init__(
        self,
        texts: Mapping[str, str],
        notes: Mapping[str, Note],
        links: SiteLinks,
        *,
        raw_html: bool,
        allow_html: frozenset[str] = frozenset(),
    ) -> None:
        self.texts = texts  # body text of each note, comments blanked (`source.body_text`)
        self.notes = notes
        self.links = links
        self.allow_html = allow_html  # `[site] allow_html`: iframes, forms
        self.md = build_parser(raw_html=raw_html)
        self.renderer: SiteRenderer = self.md.renderer  # type: ignore[assignment]
        self._cache: dict[str, Parsed] = {}
        self.keep_parsed: set[str] = set()  # notes that others embed: parsed once, kept
        for name, method in {
            "wikilink": self._wikilink,
            "link_open": self._link_open,
            "link_close": self._link_close,
            "image": self._image,
        }.items():
            self.md.add_render_rule(name, _unbound(method))
        for name, rule in {
            "callout_open": _callout_open,
            "callout_close": _callout_close,
            "callout_title_open": _callout_title_open,
            "callout_title_close": _callout_title_close,
            "task_box": _task_box,
            "math_inline": _math(block=False),
            "math_inline_double": _math(block=True),
            "math_block": _math(block=True),
            "math_block_label": _math(block=True),
        }.items():
            self.md.add_render_rule(name, rule)

    # -- whole notes -------------------------------------------------------

    def parse(self, path: str) -> Parsed:
        """Tokens of a note (kept when other notes embed it)."""
        self._use(path)
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        note = self.notes[path]
        ctx = ParseContext(note.body_line, self.links.heading_ids(path), _block_lines(note))
        env: dict[str, Any] = {"kb_parse": ctx}
        parsed = Parsed(self.md.parse(self.texts.get(path, ""), env), env)
        if path in self.keep_parsed:
            self._cache[path] = parsed
        return parsed

    def _use(self, path: str) -> None:
        """Record that the body being rendered shows the text or title of `path`."""
        if self.links.deps is not None:
            self.links.deps.notes[path] = self.notes[path].sha256

    def render(self, path: str) -> str:
        """The body of the note at `path` as sanitised HTML."""
        parsed = self.parse(path)
        env = dict(parsed.env, kb_note=path, kb_stack=((path, ""),))
        html = self.renderer.render(parsed.tokens, self.md.options, env)
        ids = set(_ID.findall(html))
        return sanitise(html, lambda url: self._raw_url(path, url, ids), self.allow_html)

    def _raw_url(self, source: str, url: str, ids: set[str]) -> str | None:
        """A URL without a scheme in the rendered body: kept when it is the site's own or an
        id on this page, else resolved like a Markdown link (raw HTML's `<img src="pic.png">`,
        `<a href="#Some heading">`), else dropped: a page never points where nothing is."""
        if self.links.is_site_url(url) or (url.startswith("#") and url[1:] in ids):
            return url
        path, _, fragment = unquote(url).partition("#")
        target = self.links.resolve(source, path, "#" + fragment if fragment else "")
        return target.url if target.url and not target.problem else None

    # -- links -------------------------------------------------------------

    def _wikilink(
        self, tokens: Sequence[Token], idx: int, _o: OptionsDict, env: dict[str, Any]
    ) -> str:
        meta = tokens[idx].meta
        path, subpath, display = split_wikilink(meta["inner"])
        target = self.links.resolve(env["kb_note"], path, subpath)
        if meta["embed"]:
            return self._embed(target, path, subpath, display, meta, env)
        label = display.strip() if display and display.strip() else link_label(path, subpath)
        if target.url is None:
            return broken(label, target.problem)
        return _anchor_html(target, label)

    def _link_open(
        self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: dict[str, Any]
    ) -> str:
        r, token = self.renderer, tokens[idx]
        href = token.attrGet("href")
        stack: list[bool] = env.setdefault("kb_open_links", [])
        if not isinstance(href, str) or has_scheme(href):
            stack.append(False)
            token = with_attrs(token, dict(token.attrs))
            token.attrJoin("class", "external-link")
            return r.renderToken([token], 0, o, env)
        path, _, fragment = unquote(href).partition("#")
        target = self.links.resolve(env["kb_note"], path, "#" + fragment if fragment else "")
        if target.url is None:
            stack.append(True)
            return f'<span class="broken-link" title="{_attr(target.problem)}">'
        stack.append(False)
        token = with_attrs(token, {**token.attrs, "href": target.url})
        token.attrJoin("class", "internal-link")
        if target.problem:
            token.attrSet("title", target.problem)
        return r.renderToken([token], 0, o, env)

    def _link_close(
        self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: dict[str, Any]
    ) -> str:
        stack: list[bool] = env.get("kb_open_links") or [False]
        return "</span>" if stack.pop() else "</a>"

    def _image(self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: dict[str, Any]) -> str:
        r, token = self.renderer, tokens[idx]
        src = str(token.attrGet("src") or "")
        alt = r.renderInlineAsText(token.children or [], o, env)
        if src.lower().startswith("data:"):
            return f'<img src="{_attr(src)}" alt="{_attr(alt)}">'
        if has_scheme(src):  # nothing from the network: a link to the image instead
            label = escape(alt or src)
            return f'<a class="external-link external-image" href="{_attr(src)}">{label}</a>'
        path, _, fragment = unquote(src).partition("#")
        target = self.links.resolve(env["kb_note"], path, "#" + fragment if fragment else "")
        if target.url is None:
            return broken(alt or path, target.problem, "broken-embed")
        if target.path and _ext(target.path) in IMAGE:
            return f'<img src="{_attr(target.url)}" alt="{_attr(alt)}" loading="lazy">'
        return _anchor_html(target, alt or path)

    # -- embeds ------------------------------------------------------------

    def _embed(
        self,
        target: Target,
        path: str,
        subpath: str,
        display: str | None,
        meta: dict[str, Any],
        env: dict[str, Any],
    ) -> str:
        label = link_label(path, subpath)
        if target.url is None or target.path is None:
            return broken("!" + label, target.problem, "broken-embed")
        anchor = (
            f' id="{_attr(meta["id"])}"' if meta.get("id") and not self.renderer.without_ids else ""
        )
        if not is_note(target.path):
            html = _attachment_html(target, display)
            return f'<p class="embed-file"{anchor}>{html}</p>' if meta.get("block") else html
        if not meta.get("block"):
            return _anchor_html(target, display.strip() if display else label, "embed-link")
        key = (target.path, target.anchor)
        stack: tuple[tuple[str, str], ...] = env["kb_stack"]
        self._use(target.path)
        title = self.notes[target.path].title
        head = f'<div class="embed-title">{_anchor_html(target, title)}</div>'
        if key in stack or len(stack) > MAX_EMBED_DEPTH:
            why = "embed loop" if key in stack else "embeds nested too deep"
            return f'<div class="embed embed-stopped"{anchor} title="{why}">{head}</div>'
        inner = self._transclude(target, subpath, dict(env, kb_stack=(*stack, key)))
        return f'<div class="embed"{anchor}>{head}<div class="embed-body">{inner}</div></div>'

    def _transclude(self, target: Target, subpath: str, env: dict[str, Any]) -> str:
        assert target.path is not None
        parsed = self.parse(target.path)
        tokens = _part(parsed.tokens, target, subpath, self.notes[target.path].body_line)
        if tokens is None:
            return broken(link_label("", subpath), target.problem or "not found", "broken-embed")
        inner_env = dict(parsed.env, kb_note=target.path, kb_stack=env["kb_stack"])
        self.renderer.without_ids += 1
        try:
            html = self.renderer.render(tokens, self.md.options, inner_env)
        finally:
            self.renderer.without_ids -= 1
        if tokens and tokens[0].type == "list_item_open":
            return f"<ul>{html}</ul>"
        return html


def _unbound(method: Any) -> Any:
    """markdown-it binds a rule to the renderer; a method of ours keeps its own `self`,
    weakly: the parser must not hold the `NoteRenderer` that holds it, or the two (and
    the whole vault the renderer reaches) become a cycle that outlives the build until
    a full garbage collection walks every note (a quarter of a rebuild in `serve`)."""
    ref = weakref.WeakMethod(method)

    def rule(_renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        bound = ref()
        assert bound is not None, "a rule of a renderer that is gone"
        return str(bound(tokens, idx, options, env))

    return rule


def _block_lines(note: Note) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for block in note.block_ids:
        found.setdefault(block.line, []).append(block_anchor(block.id))
    return found


def _part(tokens: list[Token], target: Target, subpath: str, body_line: int) -> list[Token] | None:
    """The tokens an embed shows: the whole note, a heading's section, or a block."""
    kind = subpath_kind(subpath)
    whole = [t for t in _without_footnotes(tokens)]
    if kind == "none":
        return whole
    if not target.anchor:
        return None
    for i, token in enumerate(whole):
        if token.attrGet("id") != target.anchor:
            continue
        if kind == "block":
            return slice_of(whole, i)
        level = int(token.tag[1:])
        end = next(
            (
                j
                for j in range(i + 1, len(whole))
                if whole[j].type == "heading_open"
                and whole[j].level == token.level
                and int(whole[j].tag[1:]) <= level
            ),
            len(whole),
        )
        return whole[i:end]
    return None


def _without_footnotes(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    inside = 0
    for token in tokens:
        if token.type == "footnote_block_open":
            inside += 1
        if not inside:
            out.append(token)
        if token.type == "footnote_block_close":
            inside -= 1
    return out


def _anchor_html(target: Target, label: str, kind: str = "internal-link") -> str:
    assert target.url is not None
    title = f' title="{_attr(target.problem)}"' if target.problem else ""
    return f'<a class="{kind}" href="{_attr(target.url)}"{title}>{escape(label)}</a>'


def _attachment_html(target: Target, display: str | None) -> str:
    """An image with its size, an audio or video player, a PDF, or a link to the file."""
    assert target.url is not None and target.path is not None
    url, name, ext = _attr(target.url), target.path.rsplit("/", 1)[-1], _ext(target.path)
    if ext in IMAGE:
        size = ""
        alt = name
        if display and is_image_size(display):
            width, _, height = display.strip().partition("x")
            size = f' width="{width}"' + (f' height="{height}"' if height else "")
        elif display and display.strip():
            alt = display.strip()
        return f'<img src="{url}" alt="{_attr(alt)}"{size} loading="lazy">'
    if ext in AUDIO:
        return f'<audio controls src="{url}"><a href="{url}">{escape(name)}</a></audio>'
    if ext in VIDEO:
        return f'<video controls src="{url}"><a href="{url}">{escape(name)}</a></video>'
    if ext == "pdf":
        return (
            f'<object class="embed-pdf" data="{url}" type="application/pdf">'
            f'<a href="{url}">{escape(name)}</a></object>'
        )
    return _anchor_html(target, name)


def _callout_open(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, _env: Any) -> str:
    meta = tokens[idx].meta
    token_id = tokens[idx].attrGet("id")
    anchor = f' id="{_attr(str(token_id))}"' if token_id and not _r.without_ids else ""
    kind = _attr(meta["kind"])
    if meta["fold"]:
        opened = " open" if meta["fold"] == "+" else ""
        return f'<details class="callout" data-callout="{kind}"{anchor}{opened}>\n'
    return f'<div class="callout" data-callout="{kind}"{anchor}>\n'


def _callout_close(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, _env: Any) -> str:
    return "</div></details>\n" if tokens[idx].meta["fold"] else "</div></div>\n"


def _callout_title_open(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, _env: Any) -> str:
    return (
        '<summary class="callout-title">'
        if tokens[idx].meta["fold"]
        else '<div class="callout-title">'
    )


def _callout_title_close(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, _env: Any) -> str:
    close = "</summary>" if tokens[idx].meta["fold"] else "</div>"
    return f'{close}\n<div class="callout-content">\n'


def _task_box(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, _env: Any) -> str:
    done = tokens[idx].meta["checked"]
    kind, title = ("task-box done", "done") if done else ("task-box", "to do")
    return f'<span class="{kind}" title="{title}"></span>'


def _math(*, block: bool) -> Any:
    def rule(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, _env: Any) -> str:
        return math_html(tokens[idx].content, block=block)

    return rule
