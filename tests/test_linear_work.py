"""Every pass over a note is linear in its length: doubling a hostile input at most
doubles the work (kbtool.base.work.steps: the text its searches read), never a timing.

Each input below once took seconds to minutes (issue 8 §8): `[[` repeated made the
body scanner search the rest of the text once per `[[`, a paragraph of `%%` lines
was read again at each line, a property of `[[` ran a lazy regex once per `[[`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.base import work
from kbtool.notes.frontmatter import _wikilinks, scan_frontmatter
from kbtool.notes.scan import scan_body, scan_regions

#: doubling the input may cost this much more than double (small constant overheads)
SLACK = 2.2


def _work(run: Callable[[], object]) -> int:
    work.reset()
    run()
    return work.reset()


def _assert_linear(make: Callable[[int], str], run: Callable[[str], object], n: int) -> None:
    small = _work(lambda: run(make(n)))
    large = _work(lambda: run(make(2 * n)))
    assert small > 0
    assert large <= SLACK * small, f"work {small} -> {large} when the input doubled"


@pytest.mark.parametrize(
    "piece",
    [
        pytest.param("[[", id="wikilink-openers"),
        pytest.param("![[a", id="embed-openers"),
        pytest.param("[[a\n", id="wikilink-openers-over-lines"),
        pytest.param("x %%c%% y\n", id="comment-lines-in-one-paragraph"),
        pytest.param("$a\nx %%c%% y\n", id="comment-lines-after-open-math"),
        pytest.param("`a\n" + "x %%c%% y\n" * 5, id="comment-lines-in-code-spans"),
        pytest.param("[a](b (x ", id="markdown-link-titles"),
        pytest.param("[a](b\nx %%c%% y\n", id="comment-lines-after-open-links"),
    ],
)
def test_body_scanner_work_is_linear(piece: str) -> None:
    _assert_linear(lambda n: piece * n, scan_body, 4000)


@pytest.mark.parametrize("depth", [300, 600])
def test_deeply_nested_list_items_read_each_indent_once(depth: int) -> None:
    """Each line of a list nested `depth` deep is indented under every item above it;
    its white space was read once per open item (cubic: 2,000 levels took minutes)."""
    text = "".join("  " * i + "- x\n" for i in range(depth))
    assert _work(lambda: scan_body(text)) <= 2 * len(text)


def test_a_long_paragraph_of_comment_lines_is_read_a_bounded_number_of_times() -> None:
    text = "x %%c%% y\n" * 4000
    assert _work(lambda: scan_body(text)) <= 3 * len(text)


def _property(value: str) -> list[str]:
    return ["---", f'up: "{value}"', "---", ""]


def test_property_link_scanner_work_is_linear() -> None:
    _assert_linear(lambda n: "[[" * n, lambda v: scan_frontmatter(_property(v)), 20000)
    _assert_linear(lambda n: "[[a]" * n, lambda v: scan_frontmatter(_property(v)), 20000)


def test_property_links_and_their_columns() -> None:
    assert scan_frontmatter(_property("[[" * 3000)).links == ()
    scan = scan_frontmatter(_property("[[Note]] ![[Pic.png|x]]]"))
    assert [(link.raw, link.path, link.display, link.span.column) for link in scan.links] == [
        ("[[Note]]", "Note", None, 6),
        ("![[Pic.png|x]]]", "Pic.png", "x]", 15),
    ]


_REFERENCE = re.compile(r"(!?)\[\[(.+?)\]\](?!\])")
_PROPERTY_TEXT = st.lists(
    st.sampled_from(["[[", "]]", "]", "[", "!", "a", " ", "\n", "|", "#"]), max_size=30
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_PROPERTY_TEXT)
def test_property_links_are_what_the_old_regex_found(value: str) -> None:
    expected = [(m.start(), m.end()) for m in _REFERENCE.finditer(value)]
    assert list(_wikilinks(value)) == expected


_BODY_PIECES = st.sampled_from(
    ["%%", "x %%c%% y", "\n", "`", "``", "$", "$$", "[", "]", "](", "(", ")", "<a", ">",
     "[[", "]]", " ", "a", "#t", "^b", "\\", "- ", "> ", '"', "<!--", "-->"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_BODY_PIECES, max_size=40).map("".join))
def test_settled_comment_checks_find_what_reading_again_finds(text: str) -> None:
    """The scanner keeps what a `%%` check found when nothing later can change it; reading
    the paragraph again at every `%%` line (the old way) finds exactly the same."""
    fast = (scan_body(text), scan_regions(text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kbtool.notes.scan.comments._links_settled", lambda src: False)
        patch.setattr("kbtool.notes.scan.state.REREAD_ALLOWANCE", 1 << 40)
        slow = (scan_body(text), scan_regions(text))
    assert fast == slow


def test_index_summary_reads_a_bounded_part_of_a_paragraph() -> None:
    """`**a ` repeated over 80 KB made `index` run past a minute: the clean-up's regexes
    backtrack, so a summary reads at most MAX_READ characters of a paragraph."""
    from kbtool.index.summary import MAX_READ, summarise

    def clean_up_work(text: str) -> int:
        before = _work(lambda: scan_regions(text))
        return _work(lambda: summarise(text.split("\n"), 0, None, ())) - before

    one_line = "**a " * 20000
    assert clean_up_work(one_line) == MAX_READ
    assert summarise(["**Cats** purr. " + "**a " * 3000], 0, None, ()) == "Cats purr."
    _assert_linear(lambda n: "**a \n" * n, lambda t: summarise(t.split("\n"), 0, None, ()), 5000)


def test_embed_cycle_work_is_linear(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A 21 KB note that only embeds itself took 25 s and 1.5 GB: every embed led to every
    other, n² edges and n! loops to enumerate. Still one loop per chain of parts."""
    import datetime as dt

    from kbtool.lint.engine import check
    from kbtool.vault.load import load_vault

    def run(text: str) -> list[str]:
        root = tmp_path_factory.mktemp("vault")
        (root / "a.md").write_text(text, "utf-8")
        vault = load_vault(root)
        work.reset()
        found = check(vault, select=["KB207"], today=dt.date(2026, 11, 26)).diagnostics
        return [f"{d.line}: {d.message}" for d in found]

    assert run("# A\n![[a]]\n![[a#A]]\n" * 1000) == [
        "2: embed loop: a.md -> a.md",
        "2: embed loop: a.md -> a.md -> a.md",
    ]
    small = _work(lambda: run("![[a]]\n" * 1000))
    large = _work(lambda: run("![[a]]\n" * 2000))
    assert small > 0 and large <= SLACK * small
