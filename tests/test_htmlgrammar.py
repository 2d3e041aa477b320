"""The scanner's copy of CommonMark's raw-HTML grammar is markdown-it-py's, string for string."""

from markdown_it.common import html_blocks, html_re

from kbtool.notes.scan import htmlgrammar


def test_the_tag_patterns_are_markdown_it_pys() -> None:
    # older markdown-it-py anchors the inline pattern with `^`; the grammar is the same
    assert htmlgrammar.HTML_TAG_RE.pattern == html_re.HTML_TAG_RE.pattern.removeprefix("^")
    assert htmlgrammar.HTML_OPEN_CLOSE_TAG_STR == html_re.HTML_OPEN_CLOSE_TAG_STR


def test_the_block_names_are_markdown_it_pys() -> None:
    assert list(html_blocks.block_names) == htmlgrammar.BLOCK_NAMES
    assert len(htmlgrammar.BLOCK_NAMES) == 62
