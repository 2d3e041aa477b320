"""The plain-frontmatter fast path gives exactly libyaml's document, or declines.

Every property compares `read_plain` with `yamlvalues.build` (libyaml's events)
on the same text: values and their types, key, value and item positions, the
findings, the event and value counts; and the values with `yaml.safe_load`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.notes import frontmatter
from kbtool.notes.frontmatter import scan_frontmatter
from kbtool.notes.parse import parse_note
from kbtool.notes.plainyaml import read_plain
from kbtool.notes.yamlvalues import Document, build

UTC = dt.UTC
PLUS_2 = dt.timezone(dt.timedelta(hours=2))


def _libyaml(raw: str) -> Document | None:
    """libyaml's document of `raw`, or None when `raw` is not YAML."""
    try:
        return build(raw, first_line=2)
    except yaml.YAMLError:
        return None


def assert_agrees(raw: str) -> Document | None:
    """The fast path declines, or gives what libyaml's path and `yaml.safe_load` give."""
    fast = read_plain(raw, first_line=2)
    if fast is None:
        return None
    slow = _libyaml(raw)
    assert slow is not None, "the fast path read text that is not YAML"
    # repr: compares types too (1, 1.0, True, '1' differ) and reads NaN as equal to itself
    assert repr(fast) == repr(slow)
    loaded = yaml.safe_load(raw)
    assert repr(fast.value) == repr({str(k): v for k, v in loaded.items()} if loaded else None)
    return fast


def _fast_data(text: str) -> dict[str, Any]:
    raw = text + "\n"
    document = assert_agrees(raw)
    assert document is not None, f"declined: {raw!r}"
    assert not document.problems
    assert isinstance(document.value, dict)
    return document.value


# -- YAML 1.1 resolution, corner by corner --------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("yes", True),
        ("No", False),
        ("ON", True),
        ("off", False),
        ("y", "y"),  # YAML 1.1 lists y/n, PyYAML's resolver does not
        ("True", True),
        ("null", None),
        ("~", None),
        ("Null", None),
        ("nil", "nil"),
        ("0o17", "0o17"),  # YAML 1.2 octal: text in 1.1
        ("017", 15),
        ("-017", -15),
        ("0x1F", 31),
        ("0b101", 5),
        ("1_000", 1000),
        ("+12", 12),
        ("1:30", 90),
        ("-1:30:00", -5400),
        ("1:30.5", 90.5),
        ("1.5", 1.5),
        ("1e3", "1e3"),  # 1.1 floats need a dot
        ("1.0e+3", 1000.0),
        (".5", 0.5),
        (".inf", float("inf")),
        ("-.INF", float("-inf")),
        (".nan_", ".nan_"),
        ("2024-01-01", dt.date(2024, 1, 1)),
        ("2024-1-1", "2024-1-1"),
        ("2024-01-01 10:00:00", dt.datetime(2024, 1, 1, 10, 0)),
        ("2025-10-26T17:19:00Z", dt.datetime(2025, 10, 26, 17, 19, tzinfo=UTC)),
        ("2025-11-03 13:48:27.5", dt.datetime(2025, 11, 3, 13, 48, 27, 500000)),
        ("2025-11-03t13:48:27+02:00", dt.datetime(2025, 11, 3, 13, 48, 27, tzinfo=PLUS_2)),
        ("a#b", "a#b"),
        ("a:b", "a:b"),
        ("a, b [c] {d}", "a, b [c] {d}"),
        ("-5", -5),
        ("-x", "-x"),
        ("it's", "it's"),
        ("café 😀", "café 😀"),
        ("'it''s'", "it's"),
        ("''", ""),
        ('""', ""),
        ('"a\\"b"', 'a"b'),
        ('"tab\\there\\\\ \\/ \\n"', "tab\there\\ / \n"),
        ("'# not a comment'", "# not a comment"),
        ('"yes"', "yes"),
        ("'017'", "017"),
        ("x # comment", "x"),
        ("'x' # comment", "x"),
        ("x   ", "x"),
        ("# only a comment", None),
        ("", None),
    ],
)
def test_scalar_resolution_matches_the_safe_loader(written: str, value: object) -> None:
    data = _fast_data(f"key: {written}")
    assert repr(data) == repr({"key": value})


def test_nan_is_a_float_nan() -> None:
    data = _fast_data("key: .NaN")
    assert data["key"] != data["key"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "tags: [a, 'b c', \"d\", 1, yes, ~, 2024-01-01]",
            ["a", "b c", "d", 1, True, None, dt.date(2024, 1, 1)],
        ),
        ("tags: []", []),
        ("tags: [ ]", []),
        ("tags: [a]  # c", ["a"]),
        ("tags:\n  - a\n  -\n  - \n  - 'b'  # c\n  # between\n\n  - 3", ["a", None, None, "b", 3]),
        ("tags:\n- a\n- [[Note]]x", None),  # a nested list: declined
    ],
)
def test_lists(text: str, value: list[object] | None) -> None:
    if value is None:
        assert read_plain(text + "\n", first_line=2) is None
        return
    assert _fast_data(text) == {"tags": value}


def test_positions_of_keys_values_and_items() -> None:
    raw = "# top\ntitle:   Hello\n\nempty:\ntags:\n  - a\n  -\nflow: [x,  'y']\nlast:  # c\n"
    document = assert_agrees(raw)
    assert document is not None
    where = [
        (e.key, e.line, e.column, e.value_line, e.value_column, e.items) for e in document.entries
    ]
    assert where == [
        ("title", 3, 1, 3, 10, ()),
        ("empty", 5, 1, 5, 7, ()),
        ("tags", 6, 1, 7, 3, ((7, 5), (8, 4))),
        ("flow", 9, 1, 9, 7, ((9, 8), (9, 12))),
        ("last", 10, 1, 10, 6, ()),
    ]
    assert (document.kind, document.line, document.column) == ("mapping", 3, 1)


def test_quoted_wikilinks_are_written_where_the_quote_is() -> None:
    raw = 'up: "[[A]]"\nsee: [x, \'[[B]]\']\nrel:\n  - "[[C|c]]"\nplain: a [[D]]\n'
    document = assert_agrees(raw)
    assert document is not None
    strings = [(w.value, w.style, w.line, w.column) for e in document.entries for w in e.strings]
    assert strings == [
        ("[[A]]", '"', 2, 5),
        ("[[B]]", "'", 3, 10),
        ("[[C|c]]", '"', 5, 5),
        ("a [[D]]", "", 6, 8),
    ]


def test_duplicate_keys_give_the_same_findings_and_the_last_value() -> None:
    document = assert_agrees("a: 1\nb: 2\na: 3\nc:\n- x\na:\n")
    assert document is not None
    assert document.value == {"a": None, "b": 2, "c": ["x"]}
    assert [(p.code, p.message, p.span.line, p.span.column) for p in document.problems] == [
        ("KB004", "key 'a' appears again (first on line 2); YAML keeps only the last value", 4, 1),
        ("KB004", "key 'a' appears again (first on line 2); YAML keeps only the last value", 7, 1),
    ]


def test_a_line_read_before_reads_the_same_again() -> None:
    """Lines repeat within a note and across notes, and a line read once is looked up
    after that: the second reading of each kind of line (a scalar, `key: []`, a `key:`
    with a block list or nothing after it, a duplicate) gives the first one's document,
    at its own lines, and a new list each time."""
    raw = "status: active\ntags: []\nrefs:\n- x\nnone:  # left empty\nstatus: active\n"
    first, second = assert_agrees(raw), assert_agrees(raw)
    assert first is not None and second is not None
    assert repr(first) == repr(second)
    assert first.value == {"status": "active", "tags": [], "refs": ["x"], "none": None}
    assert [p.span.line for p in first.problems] == [7]
    assert first.value["tags"] is not second.value["tags"]
    moved = assert_agrees("a: 1\n" + raw)
    assert moved is not None
    assert [e.line for e in moved.entries[1:]] == [e.line + 1 for e in first.entries]


def test_an_empty_frontmatter_is_empty() -> None:
    assert assert_agrees("\n# just a comment\n   \n") == Document()


# -- what declines ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a: 2024-02-30",  # an impossible date: libyaml's path reports it (KB102)
        "a: 2024-13-01 10:00:00",
        "a: 2024-02-30T10:00:00Z",  # the UTC form built here: the same refusals
        "a: 2024-01-01T24:00:00Z",
        "a: &x 1\nb: *x",
        "a: !!str 1",
        "a: |\n  text",
        "a: >\n  text",
        "a: first\n  second",
        "a:\n  b: 1",
        "a: {b: 1}",
        "a: [b, [c]]",
        "a: [b,\n  c]",
        "a: [b, ]",
        "a: [b, , c]",
        "a: [b: c]",
        "a: [b?]",  # libyaml reads `b?`, PyYAML's scanner ends the scalar at `?`
        "a: b: c",
        "a:\n- - b",
        "a:\n- b: c",
        "a:\n  - b\n - c",
        "a: 'b\n  c'",
        '"a": b',
        "'a': b",
        "? a\n: b",
        "yes: b",
        "1: b",
        "null: b",
        "<<: b",
        "a: =",
        "a:\tb",
        "a: b\r",
        "a: b\x85c",
        "a: b\u2028c",
        "a: \ufeffb",
        'a: "\\x41"',
        'a: "\\u00e9"',
        'a: "\\N"',
        'a: "b\\',
        "a: 'b' c",
        "a: [b] c",
        "a: [b]#c",
        "a: 'b'#c",
        "a: -",
        "a: - b",
        "a: %b",
        "a: @b",
        "a: `b",
        "a: ?b",
        "- a",
        "just text",
        "...",
        "--- a",
        "%YAML 1.1",
        "a: 1" + "0" * 1000,
        "k" * 1001 + ": v",
    ],
)
def test_anything_else_declines(text: str) -> None:
    assert read_plain(text + "\n", first_line=2) is None


# -- through scan_frontmatter and parse_note ---------------------------------------------


class _LibyamlCalls:
    """Wraps `frontmatter.build` (libyaml's path), counting the notes it reads."""

    def __init__(self, real: Callable[..., Document]) -> None:
        self.real, self.calls = real, 0

    def __call__(self, raw: str, first_line: int = 1) -> Document:
        self.calls += 1
        return self.real(raw, first_line)


@pytest.fixture
def libyaml_calls(monkeypatch: pytest.MonkeyPatch) -> _LibyamlCalls:
    calls = _LibyamlCalls(build)
    monkeypatch.setattr(frontmatter, "build", calls)
    return calls


def test_plain_notes_skip_libyaml(libyaml_calls: _LibyamlCalls) -> None:
    scan = scan_frontmatter(["---", "title: A", "tags: [x, y]", "---", "body"])
    assert scan.frontmatter.data == {"title": "A", "tags": ["x", "y"]}
    assert libyaml_calls.calls == 0
    scan = scan_frontmatter(["---", "a: &x 1", "---"])
    assert scan.frontmatter.data == {"a": 1}
    assert libyaml_calls.calls == 1


def test_an_impossible_date_gives_todays_finding(libyaml_calls: _LibyamlCalls) -> None:
    scan = scan_frontmatter(["---", "title: A", "created: 2024-02-30", "---"])
    assert libyaml_calls.calls == 1
    assert [(p.code, p.message, p.span.line, p.span.column) for p in scan.problems] == [
        ("KB102", "2024-02-30 is not a date: day 30 (February 2024 has 29 days)", 3, 10)
    ]
    assert scan.frontmatter.data == {"title": "A", "created": None}


def test_crlf_bom_and_trailing_spaces(libyaml_calls: _LibyamlCalls) -> None:
    data = "\ufeff---\r\ntitle: A  \r\ntags:\r\n  - x\r\nwhen: 2024-01-01 \r\n---\r\nbody\r\n"
    note = parse_note("n.md", data.encode("utf-8"))
    assert note.frontmatter.data == {"title": "A", "tags": ["x"], "when": dt.date(2024, 1, 1)}
    assert note.frontmatter.items == {"tags": (4, 5)}
    assert (note.frontmatter.positions["when"].line, note.body_line) == (5, 7)
    assert libyaml_calls.calls == 0


def test_property_links_come_from_the_fast_path(libyaml_calls: _LibyamlCalls) -> None:
    scan = scan_frontmatter(["---", 'up: "[[Parent#Part|p]]"', "---"])
    assert libyaml_calls.calls == 0
    [link] = scan.links
    assert (link.path, link.subpath, link.display, link.property_key) == (
        "Parent",
        "#Part",
        "p",
        "up",
    )
    assert (link.span.line, link.span.column, link.span.end_column) == (2, 6, 23)


# -- generated frontmatter ---------------------------------------------------------------

_LETTERS = "abcdeghijklmpqrsuvwxzABCDEGHIJKLMPQRSUVWXZ"  # no y/n/t/f/o: keys stay text
_TEXT = _LETTERS + "0123456789 _-./()+~!&*'\"%@`?,[]{}é😀\xa0\u3000ñ"
_CORNERS = [
    "yes", "No", "on", "OFF", "true", "False", "null", "~", "Null", "0o17", "017", "0x1F",
    "0b11", "1_000", "1:30", "190:20:30", ".inf", "-.Inf", ".NaN", "1.5", "-2.5e+3", "12",
    "-0", "+7", "0", "2024-01-01", "2024-01-01 10:00:00", "2001-12-14t21:59:43.10-05:00",
    "2024-02-30", "2024-13-01", "a#b", "a:b", "x,y", "a [[B|b]] c", "-x", "a?",
]  # fmt: skip
_NOT_IN_FLOW = str.maketrans("", "", ",[]{}'\":#?")  # declined in a flow list's plain items
_FLOW_CORNERS = [c for c in _CORNERS if c.translate(_NOT_IN_FLOW) == c]
_ESCAPED = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "/": "\\/"}

keys = st.text(_LETTERS, min_size=1, max_size=3) | st.sampled_from(["tags", "a b", "é😀", "x-y"])
plain_texts = st.builds(
    lambda head, tail: (head + tail).rstrip(" \xa0\u3000") or head,
    st.sampled_from(_LETTERS + "0123456789é😀(."),
    st.text(_TEXT, max_size=10),
)
quoted_texts = st.text(_TEXT + "#:\\\n\t", max_size=10)


@st.composite
def scalars(draw: st.DrawFn, flow: bool = False) -> str:
    kind = draw(st.sampled_from(["corner", "plain", "single", "double"]))
    if kind == "corner":
        return draw(st.sampled_from(_FLOW_CORNERS if flow else _CORNERS))
    if kind == "plain":
        text = draw(plain_texts)
        return (text.translate(_NOT_IN_FLOW) or "x") if flow else text
    text = draw(quoted_texts)
    if kind == "single":
        return "'" + text.replace("\n", " ").replace("\t", " ").replace("'", "''") + "'"
    return '"' + "".join(_ESCAPED.get(c, c) for c in text) + '"'


comments = st.sampled_from(["", "", " # note", "  #", "   "])


@st.composite
def entries(draw: st.DrawFn) -> list[str]:
    key = draw(keys) + draw(st.sampled_from(["", "", " "]))
    shape = draw(st.sampled_from(["scalar", "scalar", "flow", "block", "empty"]))
    if shape == "scalar":
        return [f"{key}: {draw(scalars())}{draw(comments)}"]
    if shape == "flow":
        items = draw(st.lists(scalars(flow=True), max_size=4))
        return [f"{key}: [{', '.join(items)}]{draw(comments)}"]
    if shape == "empty":
        return [f"{key}:{draw(comments)}"]
    indent = " " * draw(st.sampled_from([0, 2, 4]))
    lines = [f"{key}:{draw(comments)}"]
    for item in draw(st.lists(scalars() | st.just(""), min_size=1, max_size=4)):
        lines.append(f"{indent}-{' ' + item if item else ''}{draw(comments)}")
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# between", "    # indented"])))
    return lines


@st.composite
def plain_frontmatter(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for entry in draw(st.lists(entries(), max_size=6)):
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# comment", "  "])))
        lines += entry
    return "\n".join(lines) + "\n"


_MUTATIONS = [
    "\t", "&a ", "*a", "!!str ", "! ", "|", ">", "{a: 1}", "[[x]]", "? ", ": ", " :", "- ",
    "-", "  ", "\n  more", "\n- b", '"', "'", "#", "\\x41", "\\u00e9", "\\N", "\r", "\x85",
    "\u2028", "\ufeff", "...", "--- ", "%", "@", "<<", "=", "[", "]", ",", "{", "}", "\x00", "\x7f",
]  # fmt: skip


@st.composite
def near_plain_frontmatter(draw: st.DrawFn) -> str:
    """Plain frontmatter with one piece inserted somewhere: often no longer plain."""
    text = draw(plain_frontmatter())
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.sampled_from(_MUTATIONS)) + text[at:]


@settings(max_examples=1500, deadline=None)
@given(plain_frontmatter())
def test_plain_frontmatter_takes_the_fast_path_and_agrees(raw: str) -> None:
    fast = assert_agrees(raw)
    slow = _libyaml(raw)
    assert slow is not None
    unbuildable = [p for p in slow.problems if p.code != "KB004"]  # e.g. 2024-02-30
    assert (fast is None) == bool(unbuildable), raw


@settings(max_examples=1500, deadline=None)
@given(near_plain_frontmatter())
def test_near_plain_frontmatter_agrees_or_declines(raw: str) -> None:
    assert_agrees(raw)
