"""Properties of the body scanner on any text: it never raises, and every position it
reports lies within the text's lines and points at what it names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.notes.scan import scan_body, scan_regions

# Markdown's structural characters, often, among any other text.
_PIECES = st.sampled_from(
    [
        "[[", "]]", "[", "]", "(", ")", "![", "|", "\\|", "#", "^", "`", "```", "~~~",
        "$", "$$", "%%", "<!--", "-->", "<div>", "\\", "- ", "1. ", "> ", "    ", "\t",
        "\n", "\r\n", "\n\n", "---", "===", "a", "b c", "x.md", "%20", " ", "é", "😀",
        "kbtool-disable-next-line KB201", "^id", "#tag",
    ]
)  # fmt: skip
_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=60).map("".join),
)


def _lines(text: str) -> list[str]:
    return [ln.removesuffix("\r") for ln in text.split("\n")]


def _at(lines: list[str], first: int, line: int, col: int, end_line: int, end_col: int) -> str:
    """The text between two file positions (end exclusive)."""
    a, b = line - first, end_line - first
    if a == b:
        return lines[a][col - 1 : end_col - 1]
    parts = [lines[a][col - 1 :], *lines[a + 1 : b], lines[b][: end_col - 1]]
    return "\n".join(parts)


def _inside(lines: list[str], first: int, line: int, col: int) -> bool:
    i = line - first
    return 0 <= i < len(lines) and 1 <= col <= len(lines[i]) + 1


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.integers(min_value=1, max_value=50))
def test_positions_lie_within_the_text(text: str, first: int) -> None:
    scan = scan_body(text, first)
    lines = _lines(text)
    for link in scan.links:
        s = link.span
        assert _inside(lines, first, s.line, s.column)
        assert _inside(lines, first, s.end_line, s.end_column)
        assert (s.end_line, s.end_column) > (s.line, s.column)
        if s.line == s.end_line:  # a link over lines keeps its text without the line's indent
            assert _at(lines, first, s.line, s.column, s.end_line, s.end_column) == link.raw
    for tag in scan.tags:
        assert _at(
            lines, first, tag.line, tag.column, tag.line, tag.column + 1 + len(tag.name)
        ) == ("#" + tag.name)
    for block in scan.block_ids:
        end = block.column + 1 + len(block.id)
        assert _at(lines, first, block.line, block.column, block.line, end) == "^" + block.id
    for heading in scan.headings:
        assert _inside(lines, first, heading.line, heading.column)
        assert heading.text in lines[heading.line - first] or "\n" not in heading.text
    for sup in scan.suppressions:
        assert _inside(lines, first, sup.line, sup.column)
        assert sup.target_line == 0 or sup.target_line > sup.line
    for found in (scan.links, scan.tags, scan.block_ids, scan.suppressions, scan.headings):
        where = [(x.line, x.column) for x in found]
        assert where == sorted(where), "findings come in the order of their positions"
    for region in scan_regions(text, first):
        assert _inside(lines, first, region.line, region.column)
        assert _inside(lines, first, region.end_line, region.end_column)
        assert (region.end_line, region.end_column) >= (region.line, region.column)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_crlf_reads_like_lf(text: str) -> None:
    """`\\r\\n` is a line end like `\\n`: the same findings at the same positions."""
    lf = text.replace("\r", "")
    assert scan_body(lf.replace("\n", "\r\n")) == scan_body(lf)
