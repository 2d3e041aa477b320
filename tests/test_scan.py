"""The body scanner: one line per link form and per "this is not a link" case.

Positions are file positions: 1-based, in code points; `scan_body(text, first_line)`
numbers the body's first line `first_line`.
"""

from __future__ import annotations

import pytest

from kbtool.model import BlockId, Heading, Suppression, Tag
from kbtool.notes.scan import Region, scan_body, scan_regions

# (kind, syntax, path, subpath, display, line, column)
L = tuple[str, str, str, str, str | None, int, int]

LINKS: list[tuple[str, str, list[L]]] = [
    # --- wiki-links (obsidian-links.md §1)
    ("plain", "See [[Note]].", [("link", "wiki", "Note", "", None, 1, 5)]),
    ("with .md", "[[Note.md]]", [("link", "wiki", "Note.md", "", None, 1, 1)]),
    ("folder path", "[[Folder/Note]]", [("link", "wiki", "Folder/Note", "", None, 1, 1)]),
    ("display", "[[Note|shown]]", [("link", "wiki", "Note", "", "shown", 1, 1)]),
    ("display in a table", "| [[Note\\|shown]] |", [("link", "wiki", "Note", "", "shown", 1, 3)]),
    ("heading", "[[Note#Heading]]", [("link", "wiki", "Note", "#Heading", None, 1, 1)]),
    ("chained headings", "[[Note#H1#H1.1]]", [("link", "wiki", "Note", "#H1#H1.1", None, 1, 1)]),
    ("block", "[[Note#^37066d]]", [("link", "wiki", "Note", "#^37066d", None, 1, 1)]),
    ("same-note heading", "[[#Heading]]", [("link", "wiki", "", "#Heading", None, 1, 1)]),
    ("same-note block", "[[#^abc]]", [("link", "wiki", "", "#^abc", None, 1, 1)]),
    ("spaces trimmed", "[[ Note # Part | d ]]", [("link", "wiki", "Note", "#Part", " d ", 1, 1)]),
    ("lone ] inside", "[[Sq]uare]]", [("link", "wiki", "Sq]uare", "", None, 1, 1)]),
    ("embed", "![[Note]]", [("embed", "wiki", "Note", "", None, 1, 1)]),
    ("embed heading", "![[Note#Part]]", [("embed", "wiki", "Note", "#Part", None, 1, 1)]),
    ("embed block", "![[Note#^id]]", [("embed", "wiki", "Note", "#^id", None, 1, 1)]),
    ("image width", "![[pic.png|100]]", [("embed", "wiki", "pic.png", "", "100", 1, 1)]),
    ("image size", "![[pic.png|100x145]]", [("embed", "wiki", "pic.png", "", "100x145", 1, 1)]),
    ("pdf page", "![[doc.pdf#page=3]]", [("embed", "wiki", "doc.pdf", "#page=3", None, 1, 1)]),
    (
        "two on a line",
        "[[A]] and ![[B]]",
        [("link", "wiki", "A", "", None, 1, 1), ("embed", "wiki", "B", "", None, 1, 11)],
    ),
    ("inner [[ wins", "[[a [[b]]", [("link", "wiki", "b", "", None, 1, 5)]),
    ("in a heading", "## See [[Note]]", [("link", "wiki", "Note", "", None, 1, 8)]),
    ("in a list item", "- [[Note]]", [("link", "wiki", "Note", "", None, 1, 3)]),
    ("in a quote", "> [[Note]]", [("link", "wiki", "Note", "", None, 1, 3)]),
    ("second line", "text\n[[Note]]", [("link", "wiki", "Note", "", None, 2, 1)]),
    ("after non-ASCII", "é😀 [[Note]]", [("link", "wiki", "Note", "", None, 1, 4)]),
    ("escaped !", "\\![[Note]]", [("link", "wiki", "Note", "", None, 1, 3)]),
    # --- Markdown links to local files
    ("md", "[t](Note.md)", [("link", "markdown", "Note.md", "", "t", 1, 1)]),
    ("md percent", "[t](Other%20Note.md)", [("link", "markdown", "Other Note.md", "", "t", 1, 1)]),
    ("md angle", "[t](<Other Note.md>)", [("link", "markdown", "Other Note.md", "", "t", 1, 1)]),
    (
        "md heading",
        "[t](Note.md#Heading)",
        [("link", "markdown", "Note.md", "#Heading", "t", 1, 1)],
    ),
    (
        "md heading coded",
        "[t](Note.md#My%20Part)",
        [("link", "markdown", "Note.md", "#My Part", "t", 1, 1)],
    ),
    ("md same note", "[t](#Part)", [("link", "markdown", "", "#Part", "t", 1, 1)]),
    ("md %23 is no subpath", "[t](C%23.md)", [("link", "markdown", "C#.md", "", "t", 1, 1)]),
    ("md title", '[t](Note.md "A title")', [("link", "markdown", "Note.md", "", "t", 1, 1)]),
    ("md escaped", "[t](a\\_b.md)", [("link", "markdown", "a_b.md", "", "t", 1, 1)]),
    ("md image", "![alt](pic.png)", [("embed", "markdown", "pic.png", "", "alt", 1, 1)]),
    (
        "image in a link",
        "[![b](badge.png)](Note.md)",
        [
            ("link", "markdown", "Note.md", "", "![b](badge.png)", 1, 1),
            ("embed", "markdown", "badge.png", "", "b", 1, 2),
        ],
    ),
    (
        "wiki in md text",
        "[see [[A]]](B.md)",
        [
            ("link", "markdown", "B.md", "", "see [[A]]", 1, 1),
            ("link", "wiki", "A", "", None, 1, 6),
        ],
    ),
    ("md over two lines", "[a\nb](Note.md)", [("link", "markdown", "Note.md", "", "a\nb", 1, 1)]),
    # --- not links
    ("code span", "`[[Note]]`", []),
    ("double code span", "`` [[a ` b]] ``", []),
    ("fence", "```\n[[Note]]\n```", []),
    ("tilde fence", "~~~\n[[Note]]\n~~~", []),
    ("unclosed fence", "```\n\n[[Note]]", []),
    ("indented code", "text\n\n    [[Note]]", []),
    ("fence in a list", "- a\n  ```\n  [[Note]]\n  ```", []),
    ("inline math", "$[[Note]]$", []),
    ("math block", "$$\n[[Note]]\n$$", []),
    ("double dollar inline", "a $$[[Note]]$$ b", []),
    ("obsidian comment", "%% [[Note]] %%", []),
    ("obsidian comment block", "%%\n[[Note]]\n\n[[Other]]\n%%", []),
    ("unclosed obsidian comment", "%% [[A]]\n\n[[B]]", []),
    ("html comment", "<!-- [[Note]] -->", []),
    ("html comment block", "<!--\n[[Note]]\n\n[[Other]]\n-->", []),
    ("html comment inline", "a <!-- [[Note]] --> b", []),
    ("html block", "<div>\n[[Note]]\n</div>", []),
    ("html attribute", 'a <span title="[[Note]]">b</span>', []),
    ("empty wiki", "[[]]", []),
    ("blank wiki", "[[ ]]", []),
    ("unclosed wiki", "[[Note", []),
    ("wiki over two lines", "[[No\nte]]", []),
    ("escaped [", "\\[[Note]]", []),
    ("md https", "[t](https://example.com)", []),
    ("md mailto", "[t](mailto:a@b.c)", []),
    ("md obsidian uri", "[t](obsidian://open?vault=x)", []),
    ("md empty", "[t]()", []),
    ("md space in destination", "[t](Other Note.md)", []),
    ("md reference style", "[t][ref]\n\n[ref]: Note.md", []),
    ("autolink", "<https://example.com/[[x]]>", []),
    ("md in code", "`[t](Note.md)`", []),
]


def _links(text: str) -> list[L]:
    return [
        (ln.kind, ln.syntax, ln.path, ln.subpath, ln.display, ln.span.line, ln.span.column)
        for ln in scan_body(text).links
    ]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in LINKS], ids=[c[0] for c in LINKS])
def test_links(text: str, expected: list[L]) -> None:
    assert sorted(_links(text), key=lambda x: (x[5], x[6])) == sorted(
        expected, key=lambda x: (x[5], x[6])
    )


def test_link_raw_and_span_cover_the_whole_link() -> None:
    text = "x ![[pic.png|100]] [a](b%20c.md)\n"
    one, two = scan_body(text, first_line=7).links
    assert one.raw == "![[pic.png|100]]"
    assert (one.span.line, one.span.column, one.span.end_line, one.span.end_column) == (7, 3, 7, 19)
    assert two.raw == "[a](b%20c.md)"
    assert (two.span.line, two.span.column, two.span.end_column) == (7, 20, 33)
    assert one.line == 7 and one.column == 3


def test_markdown_link_over_lines_ends_on_its_last_line() -> None:
    (link,) = scan_body("[a\nb](N.md) x").links
    assert (link.span.line, link.span.column, link.span.end_line, link.span.end_column) == (
        1,
        1,
        2,
        9,
    )


def test_crlf_line_ends_never_count() -> None:
    body = "# T\r\n\r\n[[A]] #tag\r\n- b ^id\r\n"
    scan = scan_body(body, first_line=3)
    assert [(ln.raw, ln.span.line, ln.span.end_column) for ln in scan.links] == [("[[A]]", 5, 6)]
    assert scan.tags == (Tag("tag", 5, 7),)
    assert scan.block_ids == (BlockId("id", 6, 5),)
    assert scan.headings == (Heading(1, "T", 3, 1, ()),)


# --- headings


def test_headings_nest_under_their_parents() -> None:
    body = "# A\n## B\n### C\n## D\n#### E\n# F\n"
    assert [(h.level, h.text, h.line, h.parents) for h in scan_body(body).headings] == [
        (1, "A", 1, ()),
        (2, "B", 2, ("A",)),
        (3, "C", 3, ("A", "B")),
        (2, "D", 4, ("A",)),
        (4, "E", 5, ("A", "D")),
        (1, "F", 6, ()),
    ]


HEADINGS = [
    ("atx", "## Title", [(2, "Title", 1, 1)]),
    ("atx closing hashes", "## Title ##", [(2, "Title", 1, 1)]),
    ("atx hash in text", "## C# tips", [(2, "C# tips", 1, 1)]),
    ("atx indented 3", "   # T", [(1, "T", 1, 4)]),
    ("atx indented 4 is code", "    # T", []),
    ("atx needs a space", "#Title", []),
    ("seven hashes", "####### T", []),
    ("empty atx", "#", [(1, "", 1, 1)]),
    ("setext 1", "Title\n===", [(1, "Title", 1, 1)]),
    ("setext 2", "Title\n---", [(2, "Title", 1, 1)]),
    ("setext two lines", "A\nB\n---", [(2, "A B", 1, 1)]),
    ("thematic break after blank", "Text\n\n---", []),
    ("in a fence", "```\n# T\n```", []),
    ("in a comment", "%%\n# T\n%%", []),
    ("in a quote", "> # T", [(1, "T", 1, 3)]),
    ("in a list item", "- # T", [(1, "T", 1, 3)]),
    ("after a fence", "```\nx\n```\n# T", [(1, "T", 4, 1)]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in HEADINGS], ids=[c[0] for c in HEADINGS]
)
def test_headings(text: str, expected: list[tuple[int, str, int, int]]) -> None:
    assert [(h.level, h.text, h.line, h.column) for h in scan_body(text).headings] == expected


# --- block ids

BLOCK_IDS = [
    ("paragraph end", "Some text ^abc-1", [("abc-1", 1, 11)]),
    ("list item", "- item ^id2", [("id2", 1, 8)]),
    ("trailing spaces", "text ^id  ", [("id", 1, 6)]),
    ("alone after a list", "- a\n- b\n^list-id", [("list-id", 3, 1)]),
    ("alone after a blank", "- a\n\n^list-id", [("list-id", 3, 1)]),
    ("under a callout", "> [!note]\n> text\n^callout", [("callout", 3, 1)]),
    ("after a table", "| a |\n|---|\n| b |\n^table", [("table", 4, 1)]),
    ("end of first line only", "a ^one\nb", [("one", 1, 3)]),
    ("glued to an embed", "![[diagram.png]]^diagram", [("diagram", 1, 17)]),
    ("glued to a link", "see [[Note]]^n", [("n", 1, 13)]),
    ("glued to a Markdown link", "- [t](u.md)^m", [("m", 1, 12)]),
    ("glued to an embed, not mid-line", "![[d.png]]^d e", []),
    ("not glued to code", "`x`^c", []),
    ("not glued to text", "text^abc", []),
    ("not mid-line", "a ^abc b", []),
    ("not in a heading", "## H ^abc", []),
    ("not in code", "`a ^abc`", []),
    ("not in a fence", "```\na ^abc\n```", []),
    ("no underscore", "a ^ab_c", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in BLOCK_IDS], ids=[c[0] for c in BLOCK_IDS]
)
def test_block_ids(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert [(b.id, b.line, b.column) for b in scan_body(text).block_ids] == expected


# --- tags (obsidian-links.md §4)

TAGS = [
    ("simple", "a #tag", [("tag", 1, 3)]),
    ("line start", "#tag here", [("tag", 1, 1)]),
    ("nested", "#topic/kubernetes", [("topic/kubernetes", 1, 1)]),
    ("kebab and snake", "#kebab-case #snake_case", [("kebab-case", 1, 1), ("snake_case", 1, 13)]),
    ("any script", "#日本語 #Ünïcode", [("日本語", 1, 1), ("Ünïcode", 1, 6)]),
    ("emoji", "#🎉party", [("🎉party", 1, 1)]),
    ("digits then letters", "#y1984 #1984y", [("y1984", 1, 1), ("1984y", 1, 8)]),
    ("ends at punctuation", "(#tag) #tag, #b.", [("tag", 1, 8), ("b", 1, 14)]),
    ("in a heading", "## Title #tag", [("tag", 1, 10)]),
    ("in a table", "| #tag |", [("tag", 1, 3)]),
    ("only digits", "#1984", []),
    ("heading marker", "# Title", []),
    ("glued to a word", "C#sharp", []),
    ("in a URL", "https://example.com/#frag", []),
    ("in a wiki-link", "[[Note#Heading]]", []),
    ("in code", "`#tag`", []),
    ("in a fence", "```\n#tag\n```", []),
    ("in a comment", "%% #tag %%", []),
    ("in an html comment", "<!-- #tag -->", []),
    ("in math", "$#tag$", []),
    ("lone hash", "a # b", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in TAGS], ids=[c[0] for c in TAGS])
def test_tags(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert [(t.name, t.line, t.column) for t in scan_body(text).tags] == expected


# --- suppressions

SUPPRESSIONS = [
    (
        "html next line",
        "<!-- kbtool-disable-next-line KB201 KB203 -->\n[[x]]",
        [(("KB201", "KB203"), 1, 1, 2)],
    ),
    ("obsidian next line", "%% kbtool-disable-next-line KB201 %%\n[[x]]", [(("KB201",), 1, 1, 2)]),
    ("commas", "%% kbtool-disable-next-line KB201,KB202 %%", [(("KB201", "KB202"), 1, 1, 2)]),
    ("whole file", "%% kbtool-disable KB201 %%", [(("KB201",), 1, 1, 0)]),
    ("whole file html", "<!-- kbtool-disable KB201 -->", [(("KB201",), 1, 1, 0)]),
    ("file form", "<!-- kbtool-disable-file KB301 -->", [(("KB301",), 1, 1, 0)]),
    ("all codes", "<!-- kbtool-disable-next-line -->\nx", [((), 1, 1, 2)]),
    (
        "reason after codes",
        "%% kbtool-disable-next-line KB201 renamed later %%",
        [(("KB201",), 1, 1, 2)],
    ),
    (
        "inline at end of a line",
        "text %% kbtool-disable-next-line KB201 %%",
        [(("KB201",), 1, 6, 2)],
    ),
    ("lower case code", "%% kbtool-disable kb201 %%", [(("KB201",), 1, 1, 0)]),
    (
        "comment over lines",
        "%%\nkbtool-disable-next-line KB201\n%%\n[[x]]",
        [(("KB201",), 1, 1, 4)],
    ),
    ("in a list item", "- a\n  <!-- kbtool-disable-next-line KB201 -->", [(("KB201",), 2, 3, 3)]),
    ("not in code", "`%% kbtool-disable KB201 %%`", []),
    ("not in a fence", "```\n<!-- kbtool-disable KB201 -->\n```", []),
    ("other words", "%% kbtool-disabled KB201 %%", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in SUPPRESSIONS], ids=[c[0] for c in SUPPRESSIONS]
)
def test_suppressions(text: str, expected: list[tuple[tuple[str, ...], int, int, int]]) -> None:
    got = scan_body(text).suppressions
    assert [(s.codes, s.line, s.column, s.target_line) for s in got] == expected


def test_suppression_lines_are_file_lines() -> None:
    (s,) = scan_body("x\n<!-- kbtool-disable-next-line KB201 -->\n", first_line=10).suppressions
    assert s == Suppression(("KB201",), 11, 1, 12)


# --- regions


def test_regions_say_where_code_and_comments_are() -> None:
    body = "a `b` c\n\n```\nx\n```\n%% note\nmore %% d\n<!-- e -->\n"
    assert scan_regions(body, first_line=5) == (
        Region("code", 5, 3, 5, 6),
        Region("code", 7, 1, 9, 4),
        Region("comment", 10, 1, 11, 8),
        Region("html", 12, 1, 12, 11),
    )


def test_text_after_a_comment_over_lines_is_read() -> None:
    scan = scan_body("%% a\nb %% [[After]] #tag\n")
    assert [ln.raw for ln in scan.links] == ["[[After]]"]
    assert [t.name for t in scan.tags] == ["tag"]


def test_empty_body() -> None:
    assert scan_body("") == scan_body("\n\n")
    assert scan_body("").links == ()


@pytest.mark.parametrize(
    "text",
    [
        "[a" * 3000,
        "![" * 3000,
        "[x](" * 2000,
        "".join("`" * k + " " for k in range(1, 300)),
        "- " * 3000 + "a",
        "> " * 3000 + "a",
        "%%\n" * 3001,
    ],
    ids=[
        "brackets",
        "images",
        "open links",
        "backtick runs",
        "deep list",
        "deep quote",
        "comments",
    ],
)
def test_long_lines_of_markers_are_read(text: str) -> None:
    """Pathological text ends normally (no recursion limit hit): nothing in it is a link."""
    assert scan_body(text).links == ()
