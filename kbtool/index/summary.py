"""One-line note summaries: the first sentence of `## Summary`, else of the first paragraph.

The Note model keeps no body text, so the index reads each note once more,
here, and only its body. The scan is line-based and deliberately light: it
skips what is not prose (headings, code, math, comments, callout markers,
tables, embeds, HTML) and never renders Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from kbtool.model import Note

MAX_CHARS = 280

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^ {0,3}>\s?")
_CALLOUT = re.compile(r"^\[![^\]]*\][+-]?")
_LIST = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s+\[.\])?(?:\s+|$)")
_BLOCK_ID_LINE = re.compile(r"^\^[A-Za-z0-9-]+\s*$")
_HTML_LINE = re.compile(r"^ {0,3}</?[A-Za-z][^>]*>")
_EMBED_LINE = re.compile(r"^(!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\))\s*$")

_INLINE = [
    (re.compile(r"%%.*?%%"), ""),
    (re.compile(r"<!--.*?-->"), ""),
    (re.compile(r"!\[\[[^\]]*\]\]"), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[\^[^\]]+\]"), ""),
    (re.compile(r"\[\[([^\]|]*)\|([^\]]*)\]\]"), r"\2"),
    (re.compile(r"\[\[#?([^\]]*)\]\]"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"(\*\*|__|==|~~)(\S(?:.*?\S)?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(\S(?:.*?\S)?)_(?![\w_])"), r"\1"),
    (re.compile(r"\s\^[A-Za-z0-9-]+\s*$"), ""),
]
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")

#: Words that end with a period without ending the sentence.
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "eg",
        "ie",
        "cf",
        "vs",
        "approx",
        "ca",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "fig",
        "no",
        "vol",
        "al",
        "resp",
        "incl",
        "esp",
        "viz",
        "ex",
    ]
)
_END = re.compile(r"([.!?。！？]+)([)\"'”’»*_]*)(\s+|$)")


def map_prose(text: str, func: Callable[[str], str]) -> str:
    """Apply `func` to the text outside code spans; code spans stay as written."""
    parts: list[str] = []
    last = 0
    for m in _CODE_SPAN.finditer(text):
        parts.append(func(text[last : m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(func(text[last:]))
    return "".join(parts)


def clean_inline(text: str) -> str:
    """Strip inline Markdown that would read badly or act (links, embeds) in an index line.

    Code spans are kept whole, backticks included, so that what was code does
    not turn into a tag or a link.
    """
    return " ".join(map_prose(text, _clean_prose).split())


def _clean_prose(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def first_sentence(text: str, max_chars: int = MAX_CHARS) -> str:
    """The first sentence of a paragraph, ending at `. `, `! ` or `? `.

    A period after a known abbreviation (`e.g.`) or a single letter (`J.`),
    or followed by a lower-case word, does not end the sentence; nor does one
    inside a code span.
    """
    code = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text)]
    for m in _END.finditer(text):
        if any(start <= m.start() < end for start, end in code):
            continue
        if m.group(1) == "." and not _ends_sentence(text, m.start(), m.end()):
            continue
        return _shorten(text[: m.start(3)].strip(), max_chars)
    return _shorten(text.strip(), max_chars)


def _ends_sentence(text: str, dot: int, after: int) -> bool:
    word = re.search(r"([\w.]*)$", text[:dot])
    before = word.group(1).lower() if word else ""
    if before.rstrip(".") in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
        return False
    return not (after < len(text) and text[after].islower())


def _shorten(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0].rstrip(",;:")
    if cut.count("`") % 2:
        cut += "`"
    return cut + "…"


def _prose_lines(lines: list[str], start: int, *, section: bool) -> Iterator[str | None]:
    """Each line's prose text from `start`, or None for a paragraph break.

    `section`: scanning one section (under `## Summary`): a heading ends the
    scan and list items count as paragraphs. Otherwise headings and lists
    are skipped like code.
    """
    fence: str | None = None
    in_comment: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            yield None
            continue
        if in_comment is not None:
            if in_comment in stripped:
                in_comment = None
            yield None
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)[0] * len(m.group(1))
            yield None
            continue
        if stripped == "$$" or (stripped.startswith("$$") and not stripped.endswith("$$")):
            fence = "$$"
            yield None
            continue
        for opener, closer in (("%%", "%%"), ("<!--", "-->")):
            if stripped.startswith(opener) and closer not in stripped[len(opener) :]:
                in_comment = closer
        if in_comment is not None:
            yield None
            continue
        if _ATX.match(line):
            if section:
                return
            yield None
            continue
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        text = line.strip()
        if _CALLOUT.match(text):
            yield None
            continue
        if (
            not text
            or _RULE.match(text)
            or text.startswith("|")
            or _BLOCK_ID_LINE.match(text)
            or _HTML_LINE.match(text)
            or _EMBED_LINE.match(text)
            or line.startswith(("    ", "\t"))
        ):
            yield None
            continue
        item = _LIST.match(text)
        if item:
            if not section:
                yield None
                continue
            yield None
            text = text[item.end() :]
        yield text


def _paragraphs(lines: list[str], start: int, *, section: bool) -> Iterator[str]:
    """Paragraph texts in order; a setext heading (text over `===`) is skipped."""
    current: list[str] = []
    for text in _prose_lines(lines, start, section=section):
        if text is not None and current and _SETEXT.match(text):
            current = []
            continue
        if text is None:
            if current:
                yield " ".join(current)
            current = []
        else:
            current.append(text)
    if current:
        yield " ".join(current)


def _first_summary(lines: list[str], start: int, *, section: bool) -> str:
    for paragraph in _paragraphs(lines, start, section=section):
        sentence = first_sentence(clean_inline(paragraph))
        if sentence:
            return sentence
    return ""


def summarise(lines: list[str], body_start: int, summary_line: int | None) -> str:
    """The note's one-line summary from its file lines (0-based `body_start`).

    `summary_line` is the 1-based line of a `Summary` heading, if any: the
    first paragraph (or list item) under it wins; else the first prose
    paragraph of the body, skipping headings and lists.
    """
    if summary_line is not None:
        found = _first_summary(lines, summary_line, section=True)
        if found:
            return found
    return _first_summary(lines, body_start, section=False)


def summary_heading_line(note: Note) -> int | None:
    """The line of the note's first heading called `Summary` (any level, any case)."""
    for heading in note.headings:
        if heading.text.strip().lower() == "summary":
            return heading.line
    return None


def note_summary(root: Path, note: Note) -> str:
    """Read the note's file once and return its summary; "" when unreadable or empty."""
    if note.problems and any(p.code == "KB001" for p in note.problems):
        return ""
    try:
        text = (root / note.path).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if "\r" in text:
        lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    return summarise(lines, note.body_line - 1, summary_heading_line(note))
