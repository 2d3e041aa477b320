"""`kbtool show NOTE`: metadata, outgoing links, backlinks with a snippet, due date."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import fixture_vault

from kbtool.cli import main
from kbtool.review.schedule import due_date

FIXTURE = Path(__file__).parent / "fixtures" / "links_stats"
LINKS = Path(__file__).parent / "fixtures" / "links"


def show(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["show", *args, "--today", "2026-02-01"])
    return result.exit_code, result.stdout, result.stderr


def test_json() -> None:
    code, out, _ = show("A", "--vault", str(FIXTURE), "--format", "json")
    assert code == 0
    info = json.loads(out)
    assert info["path"] == "A.md"
    assert info["metadata"] == {
        "title": "A",
        "type": "Fact",
        "created": "2026-01-01",
        "tags": ["x", "y"],
    }
    assert [(o["target"], o["subpath"], o["line"], o["column"]) for o in info["outgoing"]] == [
        ("B.md", None, 7, 12),
        ("C.md", "#Part", 7, 22),
    ]
    assert info["backlinks"] == [
        {"source": "B.md", "kind": "embed", "line": 7, "column": 1, "snippet": "![[A]]"},
        {"source": "MOC Home.md", "kind": "link", "line": 7, "column": 3, "snippet": "- [[A]]"},
    ]
    vault = fixture_vault("links_stats")
    expected = due_date(vault.notes["A.md"], vault.config)
    assert expected is not None
    assert info["due"] == expected.isoformat() == "2026-04-01"


def test_text() -> None:
    code, out, _ = show("A", "--vault", str(FIXTURE))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "A.md"
    assert "  due: 2026-04-01 (in 59 days)" in lines
    assert "  7:22  link     C.md#Part" in lines
    assert "Backlinks (2):" in lines
    assert "  MOC Home.md:7  link     - [[A]]" in lines


def test_unresolved_outgoing_link() -> None:
    code, out, _ = show("D", "--vault", str(FIXTURE))
    assert code == 0
    assert "  4:6  link     [[Missing]] (unresolved)" in out.splitlines()
    assert "Backlinks (0):" in out


def test_note_by_file_path() -> None:
    code, out, _ = show(str(FIXTURE / "Hub" / "F.md"), "--vault", str(FIXTURE), "--format", "json")
    assert code == 0
    assert json.loads(out)["path"] == "Hub/F.md"


def test_note_by_partial_path_case_insensitive() -> None:
    code, out, _ = show("hub/f", "--vault", str(FIXTURE), "--format", "json")
    assert code == 0
    assert json.loads(out)["path"] == "Hub/F.md"


def test_ambiguous_name_says_so_on_stderr() -> None:
    code, out, err = show("Same", "--vault", str(LINKS), "--format", "json")
    assert code == 0
    assert json.loads(out)["path"] == "z/Same.md"  # the shortest path
    assert err == "kbtool: note: 'Same' also matches folder/Same.md\n"


def test_unknown_note_exits_2_with_a_hint() -> None:
    code, _, err = show("Lonly", "--vault", str(LINKS))
    assert code == 2
    assert err.startswith("kbtool: error: Lonly: no such note")
    assert "did you mean [[Lonely]]?" in err
