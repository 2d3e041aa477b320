"""`kbtool check --fix`: list-valued properties written as one string become lists, and
nothing else in the note changes."""

from __future__ import annotations

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
