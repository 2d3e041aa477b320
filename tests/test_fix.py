"""`kbtool check --fix`: list-valued properties written as one string become lists, and
nothing else in the note changes."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main


def _fix(vault: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", str(vault), "--select", "KB102", "--fix"])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"---\ntags: a, b\n---\nBody\n", b"---\ntags: [a, b]\n---\nBody\n"),
        (b"---\r\ntags: a  # why\r\n---\r\n", b"---\r\ntags: [a]  # why\r\n---\r\n"),
        (b'\xef\xbb\xbf---\ntags: "x, y"\n---\n', b"\xef\xbb\xbf---\ntags: [x, y]\n---\n"),
        (
            b"---\ntitle: T\naliases: AI, Artificial Intelligence\n---\n",
            b"---\ntitle: T\naliases: [AI, Artificial Intelligence]\n---\n",
        ),
        (b"---\ncssclasses: wide  table\n---\n", b"---\ncssclasses: [wide, table]\n---\n"),
        (b"---\ntags: a, #b\n---\n", b"---\ntags: [a] #b\n---\n"),  # '#b' is a YAML comment
    ],
)
def test_string_lists_become_lists_byte_for_byte(
    tmp_path: Path, before: bytes, after: bytes
) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(before)
    code, out, err = _fix(tmp_path)
    assert note.read_bytes() == after
    assert (code, out) == (0, "Checked 1 note: 0 errors, 0 warnings, 0 infos.\n")
    assert "Fixed 1 finding(s) in 1 note(s)." in err


def test_fix_payload_in_json(tmp_path: Path) -> None:
    import json

    (tmp_path / "n.md").write_text("---\ntags: a, b\n---\n", "utf-8")
    result = CliRunner().invoke(
        main, ["check", str(tmp_path), "--select", "KB102", "--format", "json"]
    )
    [diag] = json.loads(result.stdout)["diagnostics"]
    assert diag["fix"] == {
        "description": "write tags as a list",
        "key": "tags",
        "value": "[a, b]",
        "replacement": ["a", "b"],
    }
    assert (tmp_path / "n.md").read_text("utf-8") == "---\ntags: a, b\n---\n"  # no --fix


def test_unfixable_note_is_left_alone_and_reported(tmp_path: Path) -> None:
    text = b"---\ntags: a\ntags: b, c\n---\n"  # duplicate key: the editor refuses
    (tmp_path / "n.md").write_bytes(text)
    code, _, err = _fix(tmp_path)
    assert (tmp_path / "n.md").read_bytes() == text
    assert "n.md:3:7: not fixed: 'tags' appears more than once" in err
    assert code == 1


def test_other_findings_are_not_touched(tmp_path: Path) -> None:
    text = b"---\ncreated: someday\n---\n"
    (tmp_path / "n.md").write_bytes(text)
    code, _, err = _fix(tmp_path)
    assert (tmp_path / "n.md").read_bytes() == text
    assert code == 1 and "Fixed" not in err


ALIAS_NOTE = "---\ntitle: AI\naliases: [AI, ML]\n---\nx\n"


def _fix_links(vault: Path) -> tuple[int, str, str]:
    with contextlib.chdir(vault):  # paths are printed from the current folder
        result = CliRunner().invoke(main, ["check", "--select", "KB201", "--fix"])
    return result.exit_code, result.stdout, result.stderr


def test_alias_links_are_rewritten_as_obsidian_would(tmp_path: Path) -> None:
    (tmp_path / "Artificial Intelligence.md").write_text(ALIAS_NOTE, "utf-8")
    note = tmp_path / "B.md"
    note.write_bytes(
        b"\xef\xbb\xbfSee [[AI]] and [[AI#Sub]], caf\xc3\xa9 [[ML]].\r\n"
        b"Kept: [[AI|shown]] and `[[AI]]`.\r\n"
    )
    code, out, err = _fix_links(tmp_path)
    assert note.read_bytes() == (
        b"\xef\xbb\xbfSee [[Artificial Intelligence|AI]] and [[Artificial Intelligence#Sub|AI]],"
        b" caf\xc3\xa9 [[Artificial Intelligence|ML]].\r\n"
        b"Kept: [[AI|shown]] and `[[AI]]`.\r\n"
    )
    assert "Fixed 3 finding(s) in 1 note(s)." in err
    assert out.splitlines() == [
        "B.md:2:7: KB201 error: [[AI]] matches no note; 'AI' is an alias of"
        " Artificial Intelligence.md, but aliases are not link targets:"
        " write [[Artificial Intelligence|AI]]",
        "Checked 2 notes: 1 error, 0 warnings, 0 infos.",
    ]
    assert code == 1


def test_alias_link_in_a_table_row_is_left_for_a_person(tmp_path: Path) -> None:
    (tmp_path / "Artificial Intelligence.md").write_text(ALIAS_NOTE, "utf-8")
    text = b"| a | b |\n|---|---|\n| [[ML]] | cell |\n"
    (tmp_path / "B.md").write_bytes(text)
    code, _, err = _fix_links(tmp_path)
    assert (tmp_path / "B.md").read_bytes() == text
    assert "B.md:3:3: not fixed: inside a table row" in err
    assert code == 1


def test_alias_of_two_notes_has_no_fix(tmp_path: Path) -> None:
    (tmp_path / "One.md").write_text("---\naliases: [X]\n---\n", "utf-8")
    (tmp_path / "Two.md").write_text("---\naliases: [X]\n---\n", "utf-8")
    (tmp_path / "B.md").write_text("[[X]] [[One]] [[Two]]\n", "utf-8")
    code, _, err = _fix_links(tmp_path)
    assert (tmp_path / "B.md").read_text("utf-8") == "[[X]] [[One]] [[Two]]\n"
    assert code == 1 and "Fixed" not in err
