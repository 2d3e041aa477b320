"""One-line note summaries: the first sentence of `## Summary`, else of the first paragraph.

The Note model keeps no body text, so the index reads each note's file once
more, here. Where code, math, comments and raw HTML are comes from the one
body scanner (`scan_regions`, once a note) and where headings are from the
note itself, so this module knows no block grammar of its own. What it adds
is what only a summary needs: paragraphs split at blank lines, list, table,
quote and callout marker lines skipped, link syntax turned into its display
text, and the first sentence. Nothing renders Markdown.

Code and math spans are kept as written: while a paragraph is cleaned and
split, each stands as one private-use character (a "mark"), so that no
clean-up or sentence end can reach into it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from kbtool.base import work
from kbtool.model import Heading, Note
from kbtool.notes.scan import Region, scan_body, scan_regions

MAX_CHARS = 280
#: A summary reads at most this much of a paragraph: the clean-up's regexes backtrack
#: (`**a ` repeated tries every `**` against the rest of the text), so reading a
#: whole 80 KB paragraph for 280 characters was quadratic. Ample for any first
#: sentence, link syntax included.
MAX_READ = 2048

_QUOTE = re.compile(r" {0,3}>\s?")
_LIST = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:\s+\[.\])?(?:\s+|$)")
#: Lines that hold no prose of the note's own, though Markdown may read them as text.
_NOT_PROSE = re.compile(
    r"""\[![^\]]*\]             # a callout's type and title
    | \|                        # a table row
    | \^[A-Za-z0-9-]+\s*$       # a block id alone
    | (?:!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\))(?:\^[A-Za-z0-9-]+)?\s*$   # an embed alone
    | </?[A-Za-z][^>]*>          # decoration: `<span class=..>#tag</span>`, `<br>`
    """,
    re.VERBOSE,
)

_INLINE = [
    # a block id ends the text, after white space or right after a link or embed
    (re.compile(r"(?:(?<=\s)|(?<=\]\])|(?<=\)))\^[A-Za-z0-9-]+\s*$"), ""),
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
]

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

#: Marks are characters of plane 15 (private use); such a character in a note
#: is itself set aside behind a mark, so that every mark is one of ours.
_MARK_BASE = 0xF0000
_MARK_SLOTS = 0xFFFE
_MARK = re.compile("[\U000f0000-\U000ffffd]")
_KEPT = ("code", "math")
#: A letter, a digit or a mark: a line with none (a rule, a setext underline,
#: stray punctuation) is no prose.
_WORD = re.compile(r"[^\W_]|[\U000f0000-\U000ffffd]")
#: Characters without which a paragraph holds no code, math or comment.
_INLINE_HINT = re.compile(r"[`$%<]")


class _Marks:
    """The code and math spans set aside while their paragraph is cleaned."""

    __slots__ = ("kept",)

    def __init__(self) -> None:
        self.kept: list[str] = []

    def mark(self, span: str) -> str:
        """The mark that stands for `span`; past the last mark the span stays bare."""
        if len(self.kept) >= _MARK_SLOTS:
            return span
        self.kept.append(span)
        return chr(_MARK_BASE + len(self.kept) - 1)

    def shelter(self, text: str) -> str:
        """`text` with the private-use characters it holds already marked, each as one."""
        if not _MARK.search(text):
            return text
        return _MARK.sub(lambda m: self.mark(m.group()), text)

    def restore(self, text: str) -> str:
        return _MARK.sub(lambda m: self.kept[ord(m.group()) - _MARK_BASE], text)


# ---------------------------------------------------------------------------
# Inline text: clean-up and the first sentence


def _inline_regions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the code, math and comment spans in one paragraph's text.

    The text is scanned behind a plain word, so that a leading `#`, `-`, `>` or
    indent reads as text, as it does inside the paragraph it came from.
    """
    if not _INLINE_HINT.search(text):
        return []
    source = "a " + text
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", source)]
    return [
        (starts[r.line - 1] + r.column - 3, starts[r.end_line - 1] + r.end_column - 3, r.kind)
        for r in scan_regions(source)
    ]


def _mask_text(text: str, marks: _Marks, *, cut: bool) -> str:
    """`text` with its code and math spans marked; comments dropped when `cut`."""
    sheltered = marks.shelter(text)  # as long as `text`: offsets hold for both
    parts: list[str] = []
    last = 0
    for start, end, kind in _inline_regions(text):
        if kind in _KEPT:
            parts += [sheltered[last:start], marks.mark(text[start:end])]
        elif cut:
            parts.append(sheltered[last:start])
        else:
            continue
        last = end
    parts.append(sheltered[last:])
    return "".join(parts)


def map_prose(text: str, func: Callable[[str], str]) -> str:
    """Apply `func` to the text outside code spans; code spans stay as written."""
    if "`" not in text:
        return func(text)
    parts: list[str] = []
    last = 0
    for start, end, kind in _inline_regions(text):
        if kind == "code":
            parts += [func(text[last:start]), text[start:end]]
            last = end
    parts.append(func(text[last:]))
    return "".join(parts)


def _clean_prose(text: str) -> str:
    work.steps += len(text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def clean_inline(text: str) -> str:
    """Strip inline Markdown that would read badly or act (links, embeds) in an index line.

    Comments go; code and math spans are kept whole, backticks included, so
    that what was code does not turn into a tag or a link.
    """
    marks = _Marks()
    return " ".join(marks.restore(_clean_prose(_mask_text(text, marks, cut=True))).split())


def _sentence_end(text: str) -> int:
    """Where the first sentence of `text` ends (its closing punctuation included)."""
    for m in _END.finditer(text):
        if m.group(1) == "." and not _ends_sentence(text, m.start(), m.end()):
            continue
        return m.start(3)
    return len(text)


def first_sentence(text: str, max_chars: int = MAX_CHARS) -> str:
    """The first sentence of a paragraph, ending at `. `, `! ` or `? `.

    A period after a known abbreviation (`e.g.`) or a single letter (`J.`),
    or followed by a lower-case word, does not end the sentence; nor does one
    inside a code or math span.
    """
    marks = _Marks()
    masked = _mask_text(text, marks, cut=False)
    return _shorten(marks.restore(masked[: _sentence_end(masked)]).strip(), max_chars)


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


# ---------------------------------------------------------------------------
# The body: which lines are prose


def _delimited(text: str) -> bool:
    """Is `text` one inline span: a run of backticks or dollars, content, the same run?"""
    ch = text[:1]
    if ch not in ("`", "$"):
        return False
    run = len(text) - len(text.lstrip(ch))
    return len(text) > 2 * run and text.endswith(ch * run)


class _Body:
    """A note's lines, with the scanner's regions and headings by file line."""

    __slots__ = ("blocks", "headings", "lines", "marks", "pieces", "regions")

    def __init__(
        self, lines: list[str], regions: Sequence[Region], headings: Sequence[Heading]
    ) -> None:
        self.lines = lines
        self.regions = regions
        self.headings = {h.line: h for h in headings}
        self.marks = _Marks()
        #: lines wholly inside a code or math block, an HTML block or a comment block
        self.blocks: set[int] = set()
        #: (start, end, region index) of the inline regions on a line; 0-based columns
        self.pieces: dict[int, list[tuple[int, int, int]]] = {}
        for index, r in enumerate(regions):
            if self._is_block(r):
                self.blocks.update(range(r.line, r.end_line + 1))
                continue
            for number in range(r.line, r.end_line + 1):
                start = r.column - 1 if number == r.line else 0
                end = r.end_column - 1 if number == r.end_line else len(lines[number - 1])
                self.pieces.setdefault(number, []).append((start, end, index))

    def _is_block(self, r: Region) -> bool:
        """A region over whole lines, and not one code, math or comment span alone on its line."""
        last = self.lines[r.end_line - 1]
        if r.column != 1 or r.end_column != len(last) + 1:
            return False
        if r.line != r.end_line or r.kind == "html":
            return True
        return r.kind != "comment" and not _delimited(last)

    def text(self, number: int) -> tuple[str, bool]:
        """Line `number` with comments cut and code and math marked; did it hold any?"""
        line = self.marks.shelter(self.lines[number - 1])
        pieces = self.pieces.get(number)
        if not pieces:
            return line, False
        parts: list[str] = []
        last = 0
        for start, end, index in pieces:
            parts.append(line[last:start])
            r = self.regions[index]
            if r.kind in _KEPT and number == r.line:
                parts.append(self.marks.mark(self._source(r)))
            last = end
        parts.append(line[last:])
        return "".join(parts), True

    def _source(self, r: Region) -> str:
        if r.line == r.end_line:
            return self.lines[r.line - 1][r.column - 1 : r.end_column - 1]
        inner = self.lines[r.line : r.end_line - 1]
        return "\n".join(
            [
                self.lines[r.line - 1][r.column - 1 :],
                *inner,
                self.lines[r.end_line - 1][: r.end_column - 1],
            ]
        )


def _is_setext(heading: Heading, line: str) -> bool:
    """A setext heading's text begins with its first line; an ATX one's never does."""
    return heading.text.startswith(line[heading.column - 1 :].strip(" \t"))


def _prose_lines(body: _Body, start: int, stop: int, *, section: bool) -> Iterator[str | None]:
    """Each file line's prose text in [start, stop), or None for a paragraph break.

    `section`: scanning the Summary section, where list items count as
    paragraphs; elsewhere lists are skipped like code. A line that only
    held a comment is "" (its paragraph goes on); headings, with a setext
    heading's underline, are breaks.
    """
    underline = False  # inside a setext heading, before its underline
    for number in range(start, stop):
        if number in body.blocks:
            yield None
            continue
        heading = body.headings.get(number)
        if heading is not None:
            underline = _is_setext(heading, body.lines[number - 1])
            yield None
            continue
        line, had_regions = body.text(number)
        quote = _QUOTE.match(line)
        while quote:
            line = line[quote.end() :]
            quote = _QUOTE.match(line)
        text = line.strip()
        if underline:
            underline = _WORD.search(text) is not None
            yield None
            continue
        if not text:
            yield "" if had_regions else None
            continue
        if _NOT_PROSE.match(text) or not _WORD.search(text):
            yield None
            continue
        item = _LIST.match(text)
        if item:
            yield None
            if not section:
                continue
            text = text[item.end() :]
        yield text


def _paragraphs(body: _Body, start: int, stop: int, *, section: bool) -> Iterator[str]:
    """Paragraph texts in order, code and math marked."""
    current: list[str] = []
    for text in _prose_lines(body, start, stop, section=section):
        if text is None:
            if current:
                yield " ".join(current)
            current = []
        else:
            current.append(text)
    if current:
        yield " ".join(current)


def _first_summary(body: _Body, start: int, stop: int, *, section: bool) -> str:
    for paragraph in _paragraphs(body, start, stop, section=section):
        cleaned = _clean_prose(paragraph[:MAX_READ])
        sentence = body.marks.restore(cleaned[: _sentence_end(cleaned)])
        sentence = _shorten(" ".join(sentence.split()), MAX_CHARS)
        if sentence:
            return sentence
    return ""


def _section_end(headings: Sequence[Heading], line: int, stop: int) -> int:
    """The line of the next heading of the same or a higher level than the one at `line`."""
    level = 6
    for heading in headings:
        if heading.line == line:
            level = heading.level
        elif heading.line > line and heading.level <= level:
            return heading.line
    return stop


def summarise(
    lines: list[str],
    body_start: int,
    summary_line: int | None,
    headings: Sequence[Heading] | None = None,
) -> str:
    """The note's one-line summary from its file lines (0-based `body_start`).

    `summary_line` is the 1-based line of a `Summary` heading, if any: the
    first paragraph (or list item) of its section wins; else the first prose
    paragraph of the body, skipping headings and lists. `headings` are the
    note's (file lines); when not given the body is scanned for them.
    """
    body_text = "\n".join(lines[body_start:])
    if headings is None:
        headings = scan_body(body_text, body_start + 1).headings
    body = _Body(lines, scan_regions(body_text, body_start + 1), headings)
    stop = len(lines) + 1
    if summary_line is not None:
        end = min(_section_end(headings, summary_line, stop), stop)
        found = _first_summary(body, summary_line, end, section=True)
        if found:
            return found
    return _first_summary(body, body_start + 1, stop, section=False)


def summary_heading_line(note: Note) -> int | None:
    """The line of the note's first heading called `Summary` (any level, any case)."""
    for heading in note.headings:
        if heading.text.strip().lower() == "summary":
            return heading.line
    return None


def note_summary(note: Note, lines: list[str]) -> str:
    """The note's summary from its file lines (`Vault.lines`); pure, no I/O."""
    return summarise(lines, note.body_line - 1, summary_heading_line(note), note.headings)
