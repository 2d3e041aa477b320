"""Property tests (hypothesis) of the parsers that read untrusted text: the body scanner,
the frontmatter reader and the link grammar never raise on any text, and reading the
same text twice gives the same result. The checks are the fuzz targets' (fuzz/targets.py),
so hypothesis and atheris hold the parsers to one set of promises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz.targets import frontmatter, linktext, scanner

_MARKDOWN = st.sampled_from(
    ["---", "\n", "[[", "]]", "#", "##", "^", "|", "%%", "`", "$$", "<!--", "- ", "> ",
     "![[a.png]]^id", "x: 1", "tags: [a, b]", "up: \"[[N]]\"", "'", '"', "{", "[", ":", " "]
)  # fmt: skip
_ANY = st.one_of(
    st.binary(max_size=300),
    st.lists(st.one_of(_MARKDOWN, st.text(max_size=4)), max_size=50).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
    ),
)


@settings(max_examples=400, deadline=None)
@given(_ANY)
def test_the_scanner_never_raises_and_scans_the_same_twice(data: bytes) -> None:
    scanner(data)


@settings(max_examples=400, deadline=None)
@given(_ANY.map(lambda d: b"---\n" + d + b"\n---\n"))
def test_the_frontmatter_reader_never_raises_and_reads_the_same_twice(data: bytes) -> None:
    frontmatter(data)


@settings(max_examples=400, deadline=None)
@given(_ANY)
def test_the_link_grammar_never_raises(data: bytes) -> None:
    linktext(data)
