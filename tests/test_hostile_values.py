"""Frontmatter values that YAML cannot build, aliases and deep nesting: a finding, never a raise.

Every case is a finding at the value's line and column (the note's first line
is the `---` fence, so YAML line 1 is line 2), the value reads as empty, and
every other key of the same frontmatter is still read.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.notes.frontmatter import scan_frontmatter
from kbtool.notes.yamlvalues import ALIAS_BUDGET, MAX_DEPTH, build, impossible_timestamp


def scan(*lines: str):
    return scan_frontmatter(["---", *lines, "---"])


def found(*lines: str) -> list[tuple[str, int, int, str]]:
    result = scan(*lines)
    return [(p.code, p.span.line, p.span.column, p.message) for p in result.problems]


def expanded_size(value: object, cap: int = 10_000_000) -> int:
    """Values a walk of `value` visits, shared lists counted each time (as JSON writes them)."""
    count, stack = 0, [value]
    while stack and count < cap:
        current = stack.pop()
        count += 1
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple):
            stack.extend(current)
    return count


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13-01", "2024-13-01 is not a date: month 13"),
        ("2024-02-30", "2024-02-30 is not a date: day 30 (February 2024 has 29 days)"),
        ("2023-02-29", "2023-02-29 is not a date: day 29 (February 2023 has 28 days)"),
        ("0000-00-00", "0000-00-00 is not a date: year 0"),
        ("2024-00-10", "2024-00-10 is not a date: month 0"),
        ("2024-01-01 25:00:00", "2024-01-01 25:00:00 is not a date and time: hour 25"),
        ("2024-01-01T10:61:00Z", "2024-01-01T10:61:00Z is not a date and time: minute 61"),
        ("2024-01-01T10:00:60", "2024-01-01T10:00:60 is not a date and time: second 60"),
        (
            "2024-01-01T10:00:00+25:00",
            "2024-01-01T10:00:00+25:00 is not a date and time: time zone offset +25",
        ),
        ("!!timestamp 2024-13-01", "2024-13-01 is not a date: month 13"),
    ],
)
def test_impossible_dates_are_kb102_at_the_value(value: str, message: str) -> None:
    result = scan("title: kept", f"created: {value}", "after: 2024-01-31")
    assert [(p.code, p.span.line, p.span.column, p.message) for p in result.problems] == [
        ("KB102", 3, 10, message)
    ]
    data = result.frontmatter.data
    assert data == {"title": "kept", "created": None, "after": dt.date(2024, 1, 31)}
    assert result.frontmatter.broken == {"created"}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("!!int abc", "!!int 'abc' is not a whole number"),
        ("!!bool maybe", "!!bool 'maybe' is not true or false"),
        ("!!float x", "!!float 'x' is not a number"),
        ("!!timestamp hello", "!!timestamp 'hello' is not a date such as 2025-11-03"),
        ("!!binary a", "!!binary 'a' is not base64 data"),
        ("!!python/object:os.system ls", "tag !!python/object:os.system, which kbtool does not"),
        ("!!python/tuple [1, 2]", "tag !!python/tuple, which kbtool does not build for a list"),
        ("!custom {a: 1}", "tag !custom, which kbtool does not build for a mapping"),
        ("!!seq abc", "tag !!seq, which kbtool does not build for a single value"),
        ("!!omap [a, b]", "!!omap needs a list of one-key mappings"),
        ("1" * 5000, "is an integer of more than 4,300 digits"),
        ("-" + "9" * 4301, "is an integer of more than 4,300 digits"),
        ("0x" + "f" * 5000, "is an integer of more than 4,300 digits"),
        ("1:" * 3000 + "1", "is an integer of more than 4,300 digits"),
        ("{<<: 3}", "a merge key (<<) takes a mapping or a list of mappings, not a single"),
        ("*nowhere", "alias *nowhere names no anchor"),
    ],
)
def test_values_yaml_cannot_build_are_kb002_at_the_value(value: str, words: str) -> None:
    result = scan("title: kept", f"x: {value}", "n: 3")
    [problem] = result.problems
    assert problem.code == "KB002" and words in problem.message, problem.message
    assert problem.message.endswith(("reads it as empty", "is left out"))
    assert problem.span.line == 3
    assert result.frontmatter.data is not None
    assert result.frontmatter.data["title"] == "kept" and result.frontmatter.data["n"] == 3


def test_the_largest_integer_python_prints_is_kept() -> None:
    largest = "9" * 4300
    assert scan(f"n: {largest}").frontmatter.data == {"n": int(largest)}


def test_a_problem_inside_a_list_empties_only_that_item() -> None:
    result = scan("dates: [2024-01-02, 2024-13-01]")
    assert found("dates: [2024-01-02, 2024-13-01]") == [
        ("KB102", 2, 21, "2024-13-01 is not a date: month 13")
    ]
    assert result.frontmatter.data == {"dates": [dt.date(2024, 1, 2), None]}
    assert result.frontmatter.items == {"dates": (2, 9, 2, 21)}
    assert result.frontmatter.item_at("dates", 1) == (2, 21)
    assert result.frontmatter.item_at("dates", 2) is None


def test_a_key_that_cannot_be_built_keeps_its_text() -> None:
    result = scan("2024-13-01: x", "y: 1")
    assert [p.code for p in result.problems] == ["KB102"]
    assert result.frontmatter.data == {"2024-13-01": "x", "y": 1}


def test_values_kbtool_builds_are_what_safe_load_builds() -> None:
    text = "s: !!set {a, b}\no: !!omap [a: 1, b: 2]\np: !!pairs [a: 1, a: 2]\nb: !!binary aGk="
    assert scan(*text.split("\n")).frontmatter.data == yaml.safe_load(text)


def test_a_recursive_alias_is_kb002_at_the_alias() -> None:
    assert found("title: kept", "a: &x [1, *x]", "b: &y {k: [*y]}") == [
        (
            "KB002",
            3,
            11,
            "alias *x repeats the value that contains it (a recursive alias);"
            " kbtool reads it as empty",
        ),
        (
            "KB002",
            4,
            12,
            "alias *y repeats the value that contains it (a recursive alias);"
            " kbtool reads it as empty",
        ),
    ]
    assert scan("a: &x [1, *x]").frontmatter.data == {"a": [1, None]}


def test_aliases_within_the_budget_are_what_safe_load_builds() -> None:
    text = "base: &b {x: 1, y: [a, b]}\nother:\n  <<: *b\n  y: 2\nagain: *b\nlist: [*b, *b]"
    result = scan(*text.split("\n"))
    assert result.problems == ()
    assert result.frontmatter.data == yaml.safe_load(text)


def laughs(levels: int, width: int = 9) -> list[str]:
    """The "billion laughs": each level lists the previous one `width` times."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return lines


def test_an_alias_bomb_is_one_finding_at_the_first_alias_over_the_budget() -> None:
    result = scan("title: kept", *laughs(7))
    # l0 holds 10 values, l1 91, l2 820, l3 7,381 (8,289 repeated so far): l4's first
    # alias, to l3, would pass 10,000
    assert [(p.code, p.span.line, p.span.column) for p in result.problems] == [("KB002", 7, 10)]
    message = result.problems[0].message
    assert "alias *l3 would repeat 7,381 values" in message
    assert f"at most {ALIAS_BUDGET:,} values in one frontmatter" in message
    data = result.frontmatter.data
    assert data is not None and data["title"] == "kept"
    assert expanded_size(data) <= ALIAS_BUDGET + 200  # what was written plus the budget


def test_an_alias_bomb_builds_bounded_values_however_deep_it_goes() -> None:
    # count what is built, not seconds: the events read grow with the text, the
    # values any walk of the result visits stay within the budget
    small, large = build("\n".join(laughs(7)) + "\n"), build("\n".join(laughs(14)) + "\n")
    assert large.events <= 2 * small.events + 10
    assert expanded_size(small.value) <= ALIAS_BUDGET + 200
    assert expanded_size(large.value) <= ALIAS_BUDGET + 400
    assert expanded_size(large.value) <= large.size <= ALIAS_BUDGET + 400


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 999])
def test_deep_flow_values_are_kb002_at_the_first_level_too_deep(depth: int) -> None:
    result = scan("title: kept", "a: " + "[" * depth + "]" * depth, "b: ok")
    assert found("a: " + "[" * depth + "]" * depth) == [
        (
            "KB002",
            2,
            # the top-level mapping is the first level: the 100th `[` opens the 101st
            3 + MAX_DEPTH,
            f"frontmatter value nested more than {MAX_DEPTH} levels deep; kbtool reads it as empty",
        )
    ]
    data = result.frontmatter.data
    assert data is not None and data["title"] == "kept" and data["b"] == "ok"


def test_deep_block_values_are_kb002_too() -> None:
    lines = ["a:"] + [
        " " * (2 * i) + "- x" if i == 500 else " " * (2 * i) + "-" for i in range(1, 501)
    ]
    result = scan(*lines)
    assert [p.code for p in result.problems] == ["KB002"]
    assert result.problems[0].span.line == MAX_DEPTH + 2


def test_duplicate_keys_of_a_mapping_an_alias_repeats_are_reported_once() -> None:
    assert [c for c, *_ in found("a: &m {k: 1, k: 2}", "b: [*m, *m]")] == ["KB004"]


def test_an_unhashable_key_leaves_out_only_its_pair() -> None:
    result = scan("title: kept", "created: {{date}}")
    assert [(p.code, p.span.line, p.span.column) for p in result.problems] == [("KB002", 3, 11)]
    assert result.frontmatter.data == {"title": "kept", "created": {}}
    assert result.frontmatter.broken == {"created"}


def test_only_one_document() -> None:
    with pytest.raises(yaml.MarkedYAMLError, match="single document"):
        build("a: 1\n...\n---\nb: 2\n")


def test_impossible_timestamp_says_none_for_real_dates() -> None:
    assert impossible_timestamp("2024-02-29") is None
    assert impossible_timestamp("2024-12-31T23:59:59.999+14:00") is None
    assert impossible_timestamp("hello") is None


# -- properties ------------------------------------------------------------------

TAGS = [
    "",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!null ",
    "!!timestamp ",
    "!!binary ",
    "!!python/object:os.system ",
    "!!python/name:os.system ",
    "!!merge ",
    "!!value ",
    "!!seq ",
    "!!map ",
    "!!set ",
    "!!omap ",
    "! ",
    "!x ",
]
datelike = st.from_regex(
    r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?"
    r"( ?(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?\Z"
)
numberlike = st.from_regex(r"\A[-+]?(0x|0o|0b)?[0-9a-fA-F_:.eE+-]{0,30}\Z")
scalars = datelike | numberlike | st.text(max_size=30) | st.sampled_from(["~", "<<", "=", ".inf"])


def _quoted(text: str, style: str) -> str:
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(TAGS), scalars, st.sampled_from(["plain", "single", "double"]))
def test_any_scalar_with_any_tag_never_raises(tag: str, text: str, style: str) -> None:
    line = f"x: {tag}{_quoted(text, style)}"
    try:
        document = build(line + "\ny: 1\n")
    except yaml.YAMLError:
        return  # not YAML at all: the frontmatter reader reports it as KB002
    assert document.kind == "mapping"
    assert isinstance(document.value, dict) and document.value.get("y") == 1
    assert all(p.code in ("KB002", "KB102", "KB004") for p in document.problems)


FRAGMENTS = [
    "a: ",
    "- ",
    "  ",
    "\n",
    "&x ",
    "*x",
    "&y ",
    "*y",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "<<: ",
    "? ",
    "!!int ",
    "!!timestamp ",
    "!!binary ",
    "!!python/tuple ",
    "!!set ",
    "!!omap ",
    "2024-13-01",
    "2024-02-29",
    "25:00:00",
    "0x" + "f" * 40,
    "'q'",
    '"[[Link]]"',
    "[[Link]]",
    "#",
    "|",
    ">",
    "...",
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=40).map("".join))
def test_the_frontmatter_reader_never_raises_on_any_text(text: str) -> None:
    # YAML also breaks lines at CR, NEL and U+2028/9, which a note's lines do not
    text = text.translate({ord(c): " " for c in "\r\x85\u2028\u2029"})
    lines = [ln for ln in text.split("\n") if ln.strip() != "---"]
    result = scan_frontmatter(["---", *lines, "---"])
    last = len(lines) + 2
    for problem in result.problems:
        assert 1 <= problem.span.line <= last, problem
    data = result.frontmatter.data
    assert data is None or expanded_size(data) <= ALIAS_BUDGET + 10 * len(text) + 10


def test_a_problem_inside_a_merge_marks_no_other_key() -> None:
    result = scan("<<: {a: 2024-13-01, b: 1}", "z: 2024-01-01")
    assert [(p.code, p.span.line) for p in result.problems] == [("KB102", 2)]
    assert result.frontmatter.data == {"a": None, "b": 1, "z": dt.date(2024, 1, 1)}
    assert "z" not in result.frontmatter.broken
    assert result.frontmatter.positions["b"][:2] == (2, 1)  # merged keys: at the `<<`
