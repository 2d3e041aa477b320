"""One-line summaries: the Summary section first, else the first prose paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtool.index.summary import clean_inline, first_sentence, map_prose, note_summary, summarise
from kbtool.vault.load import read_note
from kbtool.vault.text import note_lines


def _summary(text: str, summary_heading: str | None = "## Summary") -> str:
    lines = text.split("\n")
    line = None
    if summary_heading is not None and summary_heading in lines:
        line = lines.index(summary_heading) + 1
    return summarise(lines, 0, line)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence. Two sentence.", "One sentence."),
        ("Wow! Then more.", "Wow!"),
        ("Really? Yes.", "Really?"),
        ("No terminator at all", "No terminator at all"),
        (
            "Tools, e.g. Kubernetes or Nomad, schedule pods. Next.",
            "Tools, e.g. Kubernetes or Nomad, schedule pods.",
        ),
        ("That is, i.e. This one. Next.", "That is, i.e. This one."),
        ("Written by J. Smith in 2020. Next.", "Written by J. Smith in 2020."),
        ("Lists etc. are fine. Next.", "Lists etc. are fine."),
        ("Version 1.2 is out. Next.", "Version 1.2 is out."),
        ("Run `a. B` first. Next.", "Run `a. B` first."),
        ('He said "stop." Then left.', 'He said "stop."'),
    ],
)
def test_first_sentence(text: str, expected: str) -> None:
    assert first_sentence(text) == expected


def test_long_sentence_is_cut_at_a_word() -> None:
    text = "word " * 100
    cut = first_sentence(text, max_chars=30)
    assert cut.endswith("…")
    assert len(cut) <= 31
    assert not cut[:-1].endswith(" ")


def test_clean_inline_strips_links_and_emphasis_but_keeps_code() -> None:
    text = "See [[Kube-proxy|the proxy]], [[Pods]], [docs](https://x.io) and **bold** `[[code]]`"
    assert clean_inline(text) == "See the proxy, Pods, docs and bold `[[code]]`"


def test_clean_inline_drops_embeds_comments_and_block_ids() -> None:
    text = "Text ![[pic.png]] %%hidden%% <!-- gone --> here ^abc-1"
    assert clean_inline(text) == "Text here"


def test_summary_section_wins_over_first_paragraph() -> None:
    text = "\n".join(
        [
            "# Title",
            "",
            "Intro paragraph. More.",
            "",
            "## Summary",
            "",
            "The summary sentence, e.g. This. Second.",
            "",
            "## Details",
            "",
            "Detail.",
        ]
    )
    assert _summary(text) == "The summary sentence, e.g. This."


def test_summary_section_may_be_a_list_item() -> None:
    text = "## Summary\n\n- Pods are the smallest unit. Really.\n- Second item."
    assert _summary(text) == "Pods are the smallest unit."


def test_empty_summary_section_falls_back_to_first_paragraph() -> None:
    text = "Body first. More.\n\n## Summary\n\n## Details\n\nLater."
    assert _summary(text) == "Body first."


def test_first_paragraph_skips_headings_code_comments_and_callout_markers() -> None:
    text = "\n".join(
        [
            "# Title",
            "===",
            "Setext",
            "=====",
            "",
            "```python",
            "x = 1. Not this.",
            "```",
            "",
            "%%",
            "a comment. Not this.",
            "%%",
            "<!--",
            "html comment.",
            "-->",
            "",
            "| a | table |",
            "---",
            "![[diagram.png]]",
            "- a list item. Not this.",
            "",
            "> [!note] Callout title",
            "> The callout text. Not this.",
        ]
    )
    assert _summary(text, None) == "The callout text."


def test_paragraph_lines_join_into_one_sentence() -> None:
    assert _summary("First line\ncontinues here. Second.", None) == "First line continues here."


def test_no_prose_gives_empty_summary() -> None:
    assert _summary("# Only a heading\n\n- only\n- a list\n\n```\ncode\n```", None) == ""


def test_body_start_skips_frontmatter() -> None:
    lines = ["---", "title: Not this. No.", "---", "Body. More."]
    assert summarise(lines, 3, None) == "Body."


# Regions (code, math, comments, HTML) and headings come from the scanner.


def test_section_ends_at_a_heading_of_its_level_not_at_a_deeper_one() -> None:
    text = (
        "Body first. More.\n\n## Summary\n\n### Why\n\nDeeper but inside. More.\n\n## Next\n\nNo."
    )
    assert _summary(text) == "Deeper but inside."
    text = "Body first. More.\n\n## Summary\n\n## Next\n\nNot the summary. More."
    assert _summary(text) == "Body first."


def test_setext_summary_heading_and_setext_underlines() -> None:
    lines = ["Summary", "-------", "Set under the heading. More.", "", "Title", "---", "Body."]
    assert summarise(lines, 0, 1) == "Set under the heading."
    assert summarise(["Title", "---", "Body text. More."], 0, None) == "Body text."
    assert summarise(["Long", "title", "===", "Body text. More."], 0, None) == "Body text."


def test_code_blocks_in_containers_and_html_blocks_are_skipped() -> None:
    text = "\n".join(
        [
            "> ```",
            "> quoted code. No.",
            "> ```",
            "",
            "<div>",
            "html block. No.",
            "</div>",
            "",
            "$$",
            "math block. No.",
            "$$",
            "",
            "    indented code. No.",
            "",
            "The prose. More.",
        ]
    )
    assert _summary(text, None) == "The prose."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "> # Quoted heading\n\n> Quoted prose. More.", "Quoted prose.", id="heading-in-quote"
        ),
        pytest.param("## Heading\nRight under it. More.", "Right under it.", id="atx-then-prose"),
        pytest.param(
            "First line\n    goes on here. More.",
            "First line goes on here.",
            id="indented-lazy-line",
        ),
        pytest.param(
            "First line\n%% a note to self. %%\ngoes on. More.",
            "First line goes on.",
            id="comment-alone-keeps-paragraph",
        ),
        pytest.param(
            "Kept %% hidden.\nStill hidden. %% and kept. More.",
            "Kept and kept.",
            id="comment-over-lines-cut",
        ),
        pytest.param(
            "Energy is $E = m. C$ here, see `a. B`. More.",
            "Energy is $E = m. C$ here, see `a. B`.",
            id="code-and-math-kept-and-no-sentence-end",
        ),
        pytest.param(
            "Run `make\nall. Now` first. More.", "Run `make all. Now` first.", id="code-over-lines"
        ),
        pytest.param(
            "In blocks, **a backslash (`\\`)** and [`cfg`](x.md) and [[Page|`p`]] work. More.",
            "In blocks, a backslash (`\\`) and `cfg` and `p` work.",
            id="markup-around-code-cleaned",
        ),
        pytest.param(
            '<span class="related">#index</span>\n\nThe real prose. More.',
            "The real prose.",
            id="html-tag-line-is-decoration",
        ),
        pytest.param(
            "Text with <b>bold</b> words. More.", "Text with bold words.", id="inline-html-stripped"
        ),
    ],
)
def test_first_paragraph_from_scanner_regions(text: str, expected: str) -> None:
    assert _summary(text, None) == expected


def test_private_use_characters_in_a_note_are_not_taken_for_marks() -> None:
    text = "Icon \U000f0000 and `code` here. More."
    assert _summary(text, None) == "Icon \U000f0000 and `code` here."
    assert clean_inline("A \U000f0001 `b\U000f0002` c") == "A \U000f0001 `b\U000f0002` c"
    assert _summary("`x \U000f0003` and\n`y \U000f0004`. More.", None) == (
        "`x \U000f0003` and `y \U000f0004`."
    )


def test_note_summary_uses_the_notes_headings(tmp_path: Path) -> None:
    body = (
        "---\ntitle: T\n---\n\nIntro. More.\n\n## Summary\n\n```\nnot this.\n```\n\nIt is this.\n"
    )
    (tmp_path / "n.md").write_text(body, encoding="utf-8")
    note = read_note("n.md", tmp_path / "n.md")
    assert note_summary(note, note_lines(tmp_path, note)) == "It is this."


def test_map_prose_leaves_code_spans_alone() -> None:
    def shout(text: str) -> str:
        return text.upper()

    assert map_prose("a `b` c ``d`e`` f", shout) == "A `b` C ``d`e`` F"
    assert map_prose("no code", shout) == "NO CODE"


def test_a_block_id_glued_to_an_embed_or_link_is_no_summary() -> None:
    """`![[diagram.png]]^diagram` is an embed alone with its block id (issue 7 §8)."""
    assert summarise(["![[diagram.png]]^diagram", "", "Cats purr."], 0, None) == "Cats purr."
    assert summarise(["See [[Note]]^n"], 0, None) == "See Note"
