"""`set_frontmatter_value`: only the value's characters change, byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtool.notes.frontmatter import scan_frontmatter
from kbtool.write.frontmatter import FrontmatterEditError, set_frontmatter_value

CASES = Path(__file__).parent / "fixtures" / "review_edit"
DAY = "2026-11-26"


def _inputs(expected: bool) -> list[Path]:
    return [
        p
        for p in sorted(CASES.glob("*.md"))
        if not p.name.endswith(".expected.md")
        and p.with_name(p.stem + ".expected.md").exists() == expected
    ]


def _mapping(text: str) -> dict[str, Any] | None:
    """The frontmatter mapping as kbtool's own parser reads it (C loader)."""
    text = text.removeprefix("\ufeff")
    lines = [ln.removesuffix("\r") for ln in text.split("\n")]
    return scan_frontmatter(lines).frontmatter.data


@pytest.mark.parametrize("source", _inputs(expected=True), ids=lambda p: p.stem)
def test_fixture_is_rewritten_byte_for_byte(source: Path) -> None:
    original = source.read_bytes()
    result = set_frontmatter_value(original.decode("utf-8"), "last_reviewed", DAY)
    assert result.encode("utf-8") == source.with_name(source.stem + ".expected.md").read_bytes()


@pytest.mark.parametrize("source", _inputs(expected=False), ids=lambda p: p.stem)
def test_unsafe_fixture_is_refused(source: Path) -> None:
    with pytest.raises(FrontmatterEditError) as info:
        set_frontmatter_value(source.read_bytes().decode("utf-8"), "last_reviewed", DAY)
    assert "\n" not in str(info.value)  # one line for the command line


def test_quoted_value_keeps_its_quotes_and_is_read_as_text() -> None:
    text = "---\nlast_reviewed: '2025-01-01' # q\n---\n"
    result = set_frontmatter_value(text, "last_reviewed", DAY)
    assert result == f"---\nlast_reviewed: '{DAY}' # q\n---\n"
    assert _mapping(result) == {"last_reviewed": DAY}


def test_second_key_in_a_row_is_set_independently() -> None:
    text = "---\nlast_reviewed: 2025-01-01\nreview_interval: 30 # days\n---\nbody\n"
    once = set_frontmatter_value(text, "last_reviewed", DAY)
    twice = set_frontmatter_value(once, "review_interval", "12d")
    assert twice == f"---\nlast_reviewed: {DAY}\nreview_interval: 12d # days\n---\nbody\n"


def test_indented_mapping_gets_an_indented_new_key() -> None:
    text = "---\n  title: t\n  tags: [a]\n---\n"
    result = set_frontmatter_value(text, "last_reviewed", DAY)
    assert result == f"---\n  title: t\n  tags: [a]\n  last_reviewed: {DAY}\n---\n"
    assert _mapping(result) == {"title": "t", "tags": ["a"], "last_reviewed": _date(DAY)}


def test_a_value_that_would_need_quoting_is_rejected() -> None:
    with pytest.raises(ValueError):
        set_frontmatter_value("---\na: 1\n---\n", "last_reviewed", "x # y")


def _date(text: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(text)


# -- property test: many frontmatter styles ---------------------------------

KEYS = ["title", "tags", "aliases", "created", "status", "x-y", "Ünïcode", "with space", "n"]
SIMPLE_VALUES = [
    "word",
    "42",
    "2025-03-04",
    "2025-10-26T17:19:00Z",
    "true",
    "héllo wörld",
    "'it''s'",
    '"a \\"q\\" b"',
    '"[[Link]]"',
    "[a, 'b', \"c\"]",
    "[]",
    "{k: v}",
    "~",
    "",
]
BLOCK_VALUES = [["- a", "- b"], ["|", "  line one", "  line two"]]  # first item ends key line
EXISTING = {  # text after the colon -> the value token (None: empty)
    "": None,
    " ": None,
    "  ": None,
    " 2025-01-01": "2025-01-01",
    "  2025-01-01": "2025-01-01",
    " '2025-01-01'": "2025-01-01",
    ' "2025-01-01"': "2025-01-01",
    " ~": "~",
    " null": "null",
}


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A note whose frontmatter mixes key quoting, value styles, comments and blank lines,
    with `last_reviewed` absent or written in one of the EXISTING forms. Returns the text
    and what the test needs to know about where the key's value is."""
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=6))
    entries: list[list[str]] = []  # the lines of each key, then a comment or blank line
    for key in keys:
        quote = draw(st.sampled_from(["", "'", '"']))
        key_text = f"{quote}{key}{quote}"
        if draw(st.booleans()):
            block = draw(st.sampled_from(BLOCK_VALUES))
            if block[0] == "|":
                entry = [f"{key_text}: |", *block[1:]]
            else:
                entry = [f"{key_text}:"] + [f"  {item}" for item in block]
        else:
            value = draw(st.sampled_from(SIMPLE_VALUES))
            comment = draw(st.sampled_from(["", "  # note", " # é"]))
            entry = [f"{key_text}:{' ' + value if value else ''}{comment}"]
        if draw(st.booleans()):
            entry.append(draw(st.sampled_from(["# a comment line", ""])))
        entries.append(entry)
    info: dict[str, Any] = {"eol": eol}
    if draw(st.booleans()):
        after = draw(st.sampled_from(sorted(EXISTING)))
        key_quote = draw(st.sampled_from(["", "'"]))
        comment = draw(st.sampled_from(["", "  # reviewed", " #x"])) if after else ""
        position = draw(st.integers(0, len(entries)))
        line = f"{key_quote}last_reviewed{key_quote}:{after}{comment}"
        info.update(
            line_index=sum(len(e) for e in entries[:position]),
            after=after,
            comment=comment,
            token=EXISTING[after],
            key_text=f"{key_quote}last_reviewed{key_quote}",
        )
        entries.insert(position, [line])
    lines = [line for entry in entries for line in entry]
    bom = draw(st.sampled_from(["", "\ufeff"]))
    body = draw(st.sampled_from(["", "Body.", "Body." + eol, eol + "## Heading" + eol]))
    text = bom + "---" + eol + "".join(ln + eol for ln in lines) + "---" + eol + body
    info.update(bom=bom, lines=lines, entries=entries)
    return text, info


def _expected_line(info: dict[str, Any]) -> str:
    """The spec: replace the token (inside quotes); fill an empty value after the blank
    that follows the colon (adding one if none), keeping a blank before a comment."""
    after, token, comment = info["after"], info["token"], info["comment"]
    if token is not None:
        new_after = after.replace(token, DAY, 1)
    else:
        rest = after + comment
        if rest[:1] == " ":
            new_after, rest = " " + DAY, rest[1:]
        else:
            new_after = " " + DAY
        if rest[:1] not in ("", " "):
            new_after += " "
        return f"{info['key_text']}:{new_after}{rest}"
    return f"{info['key_text']}:{new_after}{comment}"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_style_keeps_every_other_byte(doc: tuple[str, dict[str, Any]]) -> None:
    text, info = doc
    before = _mapping(text)
    assert before is not None, "the generator writes valid frontmatter"
    result = set_frontmatter_value(text, "last_reviewed", DAY)
    eol, lines = info["eol"], list(info["lines"])
    if "line_index" in info:
        lines[info["line_index"]] = _expected_line(info)
    else:  # after the last key, unless its value is a block scalar: then before it
        last = info["entries"][-1] if info["entries"] else [""]
        at = len(lines) - len(last) if last[0].endswith(": |") else len(lines)
        lines.insert(at, f"last_reviewed: {DAY}")
    head = info["bom"] + "---" + eol + "".join(ln + eol for ln in lines) + "---" + eol
    assert result == head + text.split("---" + eol, 2)[2]
    after = _mapping(result)
    assert after is not None
    written = after.pop("last_reviewed")
    assert str(written) == DAY
    before.pop("last_reviewed", None)
    assert after == before
