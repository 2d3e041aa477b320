"""The fast frontmatter constructor gives exactly what PyYAML's safe loader gives."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.notes.frontmatter import scan_frontmatter


def fast(text: str) -> object:
    scan = scan_frontmatter(["---", *text.split("\n"), "---"])
    assert not scan.problems, scan.problems
    return scan.frontmatter.data


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 0x1F\nc: 1_000\nd: -3\ne: 0o17",
        "a: 1.5\nb: .inf\nc: -.INF\nd: .nan_not\ne: 1e3",
        "a: yes\nb: No\nc: true\nd: ~\ne: null\nf:",
        "created: 2025-10-26T17:19:00Z\nd: 2025-11-03\nt: 2025-11-03 13:48:27.5",
        "tags: [a, b/c, 'd e']\nsee_also: [\"[[X]]\"]\nnested: {k: [1, {m: n}]}",
        "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2",
        "s: !!str 123\nb: !!binary aGVsbG8=",
        "list:\n  - one\n  - two: 2\n  -\n    - deep",
        "multi: |\n  line one\n  line two\nfolded: >\n  a\n  b",
        "1: int key\n2025-01-01: date key\ntrue: bool key",
    ],
)
def test_same_as_safe_load(text: str) -> None:
    # the frontmatter ends with a line break; property names are kept as text
    expected = {str(k): v for k, v in yaml.safe_load(text + "\n").items()}
    assert fast(text) == expected


def test_unhashable_key_is_reported_at_the_key() -> None:
    scan = scan_frontmatter(["---", "title: x", "created: {{date}}", "---"])
    [problem] = scan.problems
    assert problem.code == "KB002"
    assert "unhashable key" in problem.message
    assert (problem.span.line, problem.span.column) == (3, 11)


def test_timestamps_keep_their_timezone() -> None:
    value = fast("created: 2025-10-26T17:19:00Z")
    assert value == {"created": dt.datetime(2025, 10, 26, 17, 19, tzinfo=dt.UTC)}


values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.dates()
    | st.datetimes(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(min_size=1), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1), values, min_size=1, max_size=6), st.booleans())
def test_any_dumped_mapping_reads_back_the_same(data: dict, flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    if "\n---" in "\n" + text or "\r" in text or "\x85" in text or "\u2028" in text:
        return  # a line that is exactly '---' would close the frontmatter
    expected = {str(k): v for k, v in yaml.safe_load(text).items()}
    assert fast(text.rstrip("\n")) == expected
