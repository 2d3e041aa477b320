"""One-line summaries: the Summary section first, else the first prose paragraph."""

from __future__ import annotations

import pytest

from kbtool.index.summary import clean_inline, first_sentence, summarise


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
