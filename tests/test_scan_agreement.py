"""The body scanner against markdown-it-py: the same lines are code, the same headings.

markdown-it-py is the reference because the site is rendered with it: what the site
shows as code must be what the checker skips as code. Compared, per note: the lines
that are code (fences, indented code, code spans), the lines of raw HTML blocks, and
the headings (level, text, line).

Where Obsidian differs from CommonMark by design, the comparison leaves it out:

- `%% ... %%` comments: Obsidian hides them before it reads any Markdown, so the
  reference parses the note with them blanked out (the scanner's own comment
  regions) and their lines are not compared.
- math (`$...$`, `$$...$$`): the reference uses mdit-py-plugins' dollarmath; lines
  either side sees as math are not compared.
- a wiki-link with a backtick inside (`[[Note#`code`]]`): Obsidian reads the link
  first, markdown-it a code span; such lines are not compared.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_inline.backticks import backtick
from markdown_it.rules_inline.state_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

from kbtool.notes.scan import Region, scan_body, scan_regions

FIXTURES = Path(__file__).parent / "scan_fixtures"

Lines = set[int]
Headings = set[tuple[int, str, int]]


def _backtick_with_position(state: StateInline, silent: bool) -> bool:
    """markdown-it's code span rule, recording where each span is in its inline text."""
    start = state.pos
    before = len(state.tokens)
    ok = backtick(state, silent)
    if ok and not silent and len(state.tokens) > before:
        token = state.tokens[-1]
        if token.type == "code_inline":
            token.meta = {"start": start, "end": state.pos}
    return ok


def _reference_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)
    md.inline.ruler.at("backticks", _backtick_with_position)
    return md


MD = _reference_parser()


def _norm(text: str) -> str:
    return " ".join(text.split())


def reference(body: str) -> tuple[Lines, Lines, Lines, Headings]:
    """(code lines, HTML block lines, math lines, headings) as markdown-it-py sees them."""
    tokens = MD.parse(body)
    code: Lines = set()
    html: Lines = set()
    math: Lines = set()
    headings: Headings = set()
    for i, tok in enumerate(tokens):
        if tok.map is None:
            continue
        if tok.type in ("fence", "code_block"):
            code.update(range(*tok.map))
        elif tok.type == "html_block":
            html.update(range(*tok.map))
        elif tok.type.startswith("math_block"):
            math.update(range(*tok.map))
        elif tok.type == "heading_open":
            headings.add((int(tok.tag[1]), _norm(tokens[i + 1].content), tok.map[0]))
        elif tok.type == "inline":
            for child in tok.children or ():
                if child.type == "code_inline" and child.meta:
                    first = tok.map[0] + tok.content.count("\n", 0, child.meta["start"])
                    last = tok.map[0] + tok.content.count("\n", 0, child.meta["end"] - 1)
                    code.update(range(first, last + 1))
                elif child.type.startswith("math_inline"):
                    math.update(range(*tok.map))
    return code, html, math, headings


def _blank_comments(body: str, regions: tuple[Region, ...]) -> str:
    """The body with every `%% ... %%` comment turned into spaces (line ends kept)."""
    lines = body.split("\n")
    for r in regions:
        if r.kind != "comment" or not lines[r.line].startswith("%%", r.column - 1):
            continue
        for n in range(r.line, r.end_line + 1):
            a = r.column - 1 if n == r.line else 0
            b = r.end_column - 1 if n == r.end_line else len(lines[n])
            lines[n] = lines[n][:a] + " " * (b - a) + lines[n][b:]
    return "\n".join(lines)


def disagreements(body: str) -> list[tuple[str, Any, Any]]:
    """What markdown-it-py and the scanner see differently: (what, only reference, only scanner)."""
    regions = scan_regions(body, 0)
    scan = scan_body(body, 0)
    kinds: dict[str, Lines] = {"code": set(), "html": set(), "math": set(), "comment": set()}
    for r in regions:
        kinds[r.kind].update(range(r.line, r.end_line + 1))
    obsidian_comments = "%%" in body
    ref_code, ref_html, ref_math, ref_headings = reference(
        _blank_comments(body, regions) if obsidian_comments else body
    )
    left_out = ref_math | kinds["math"]
    if obsidian_comments:
        left_out |= kinds["comment"]
    left_out |= {ln.span.line for ln in scan.links if ln.syntax == "wiki" and "`" in ln.raw}
    mine_headings = {(h.level, _norm(h.text), h.line) for h in scan.headings}
    found = []
    for what, ref, mine in (
        ("code lines", ref_code, kinds["code"]),
        ("HTML block lines", ref_html, kinds["html"]),
        ("headings", ref_headings, mine_headings),
    ):
        if what == "headings":
            ref = {h for h in ref if h[2] not in left_out}
            mine = {h for h in mine if h[2] not in left_out}
        else:
            ref, mine = ref - left_out, mine - left_out
        if ref != mine:
            found.append((what, sorted(ref - mine), sorted(mine - ref)))
    return found


def _body(path: Path) -> str:
    """The note after its frontmatter (line numbers then count from the body's first line).

    A plain split on the `---` lines: both parsers see the same text, which is all the
    comparison needs.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[0].rstrip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), 0)
        lines = lines[close + 1 :]
    return "\n".join(lines)


FIXTURE_FILES = sorted(FIXTURES.glob("*.md"))


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURE_FILES) >= 40


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_agrees_with_markdown_it(path: Path) -> None:
    assert disagreements(_body(path)) == []


def test_block_ids_after_inline_elements() -> None:
    """Obsidian needs no space between an embed or link and a block id; the fixture also
    agrees with markdown-it on its code, callout and heading lines (above)."""
    scan = scan_body(_body(FIXTURES / "block-id-after-embed.md"))
    assert [(b.id, b.line, b.column) for b in scan.block_ids] == [
        ("diagram", 3, 17),
        ("see-other", 5, 14),
        ("chart", 7, 21),
        ("md-link", 8, 21),
        ("in-callout", 11, 19),
    ]


def test_reference_is_not_blind() -> None:
    """The comparison can fail: markdown-it sees the fence the scanner must also see."""
    body = "text\n\n```\n# in code\n```\n"
    assert reference(body)[0] == {2, 3, 4}
    assert disagreements(body) == []
    assert disagreements("%%\n```\n%%\n# After\n") == []  # the comment hides the fence


def test_corpora_agree_with_markdown_it(corpora: Path) -> None:
    notes = sorted(corpora.glob("*/vault/**/*.md"))
    assert notes, f"no notes under {corpora}"
    failures = {}
    for path in notes:
        found = disagreements(_body(path))
        if found:
            failures[str(path.relative_to(corpora))] = found
    assert failures == {}


_SOUP = [
    "- ", "* ", "1. ", "2) ", "> ", "    ", "  ", " ", "\t", "```", "~~~", "`", "``",
    "# ", "## ", "#", "---", "===", "***", "<div>", "</div>", "<!--", "-->", "<pre>",
    "</pre>", "<span>", "|", "| a | b |", "|---|---|", "a", "b c", "\n", "\n", "\n\n",
    "<?", "?>", "<![CDATA[", "]]>", "[", "](", ")", "x.md", "\\", "<http://x`y>",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(8))
def test_random_block_soup_agrees_with_markdown_it(seed: int) -> None:
    """Random mixes of block and inline markers, 100 notes a seed, fixed seeds."""
    rng = random.Random(seed)
    for _ in range(100):
        body = "".join(rng.choice(_SOUP) for _ in range(rng.randint(1, 40))) + "\n"
        assert disagreements(body) == [], repr(body)
