"""Every command on a vault with one hostile frontmatter value: a finding, never a traceback.

Each input once made every command crash or hang (issue 7 §2, issue 8 §1-3).
The vault also holds a good note with a broken link: it must still be checked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kbtool.cli import main
from kbtool.notes.yamlvalues import ALIAS_BUDGET, MAX_DEPTH
from kbtool.vault.load import load_vault

GOOD = "---\ntitle: Good\ncreated: 2024-01-01\n---\nSee [[missing]].\n"
#: No command writes more than this for two small notes, whatever the frontmatter says.
OUTPUT_LIMIT = 1_000_000


def laughs(levels: int) -> str:
    lines = ["l0: &l0 [" + ", ".join(["lol"] * 9) + "]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines)


# (frontmatter, code, line, column): line 1 of the note is the opening `---`
HOSTILE = {
    "impossible month": ("created: 2024-13-01", "KB102", 2, 10),
    "impossible day": ("created: 2024-02-30", "KB102", 2, 10),
    "year zero": ("created: 0000-00-00", "KB102", 2, 10),
    "hour 25": ("modified: 2024-01-01 25:00:00", "KB102", 2, 11),
    "int abc": ("x: !!int abc", "KB002", 2, 4),
    "bool maybe": ("x: !!bool maybe", "KB002", 2, 4),
    "timestamp hello": ("x: !!timestamp hello", "KB002", 2, 4),
    "python tag": ("x: !!python/object/apply:os.system [ls]", "KB002", 2, 4),
    "5,000 digits": ("n: " + "1" * 5000, "KB002", 2, 4),
    "huge hex": ("n: 0x" + "f" * 5000, "KB002", 2, 4),
    "recursive alias": ("a: &x [*x]", "KB002", 2, 8),
    "billion laughs": (laughs(7), "KB002", 6, 10),
    "500 deep": ("a: " + "[" * 500 + "]" * 500, "KB002", 2, 3 + MAX_DEPTH),
}


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args[0]}: {result.exception!r}"
    )
    assert "Traceback" not in result.output
    assert len(result.stdout) < OUTPUT_LIMIT
    return result


@pytest.fixture(params=sorted(HOSTILE), ids=sorted(HOSTILE))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, int, int, str]:
    text, code, line, column = HOSTILE[request.param]
    # title and tags take lines 2 and 3, so every expected line moves down by two;
    # tags as a string is KB102 at line 3 when the rest of the frontmatter is read
    note = f"---\ntitle: Bad\ntags: one, two\n{text}\n---\nSee [[Good]].\n"
    (tmp_path / "Bad.md").write_text(note, "utf-8")
    (tmp_path / "Good.md").write_text(GOOD, "utf-8")
    return tmp_path, code, line + 2, column, note


def test_check_reports_the_value_and_still_checks_every_other_note(hostile) -> None:
    vault, code, line, column, _ = hostile
    result = invoke("check", str(vault), "--format", "json", "--no-cache")
    assert result.exit_code == 1
    found = {
        (d["path"], d["line"], d["column"], d["code"])
        for d in json.loads(result.stdout)["diagnostics"]
    }
    assert ("Bad.md", line, column, code) in found
    assert ("Bad.md", 3, 7, "KB102") in found  # the rest of the note is read and checked
    assert ("Good.md", 5, 5, "KB201") in found
    assert json.loads(result.stdout)["summary"]["notes"] == 2


def test_read_commands_answer_within_bounds(hostile) -> None:
    vault, *_ = hostile
    show = invoke("show", "Bad", "--vault", str(vault), "--format", "json")
    assert show.exit_code == 0
    assert json.loads(show.stdout)["metadata"]["title"] == "Bad"
    assert invoke("show", "Bad", "--vault", str(vault)).exit_code == 0
    assert invoke("index", str(vault), "--today", "2025-01-01").exit_code == 0
    due = invoke("review", "due", str(vault), "--today", "2025-01-01")
    assert due.exit_code == 0
    index = invoke("index", str(vault), "--format", "json", "--today", "2025-01-01")
    assert index.exit_code == 0 and json.loads(index.stdout)
    graph = invoke("graph", str(vault), "--format", "json")
    assert graph.exit_code == 0
    assert {n["id"] for n in json.loads(graph.stdout)["nodes"]} >= {"Bad.md", "Good.md"}


def test_stats(hostile) -> None:
    vault, *_ = hostile
    result = CliRunner().invoke(main, ["stats", str(vault)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0


def test_review_done_changes_only_its_bytes(hostile) -> None:
    # a value read as empty reads so before and after: the edit is proven safe all the same
    vault, _, _, _, note = hostile
    result = invoke("review", "done", "Bad", "--vault", str(vault), "--today", "2025-01-01")
    after = (vault / "Bad.md").read_text("utf-8")
    if "[" * 200 in note:  # too deep to compose: refused, and the note left as it was
        assert result.exit_code == 1
        assert f"more than {MAX_DEPTH} levels deep; not edited" in result.stderr
        assert after == note
        return
    assert result.exit_code == 0, result.stderr
    assert after == note.replace("\n---\nSee", "\nlast_reviewed: 2025-01-01\n---\nSee")


def test_check_fix_rewrites_only_the_fixable_value(hostile) -> None:
    vault, code, line, column, note = hostile
    result = invoke("check", str(vault), "--fix", "--no-cache")
    after = (vault / "Bad.md").read_text("utf-8")
    if "[" * 200 in note:  # too deep to compose: left alone, and said so
        assert after == note
        assert f"Bad.md:3:7: not fixed: the frontmatter nests values more than {MAX_DEPTH}" in (
            result.stderr
        )
    else:
        assert after == note.replace("tags: one, two", "tags: [one, two]")
    assert f"Bad.md:{line}:{column}: {code}" in result.stdout


def test_review_done_refuses_only_what_it_cannot_compose(tmp_path: Path) -> None:
    deep = "---\na: " + "[" * 500 + "]" * 500 + "\n---\n"
    (tmp_path / "Deep.md").write_text(deep, "utf-8")
    result = invoke("review", "done", "Deep", "--vault", str(tmp_path), "--today", "2025-01-01")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert f"more than {MAX_DEPTH} levels deep; not edited" in result.stderr
    assert (tmp_path / "Deep.md").read_text("utf-8") == deep


def test_the_alias_bomb_builds_a_bounded_value(tmp_path: Path) -> None:
    # count what is built, not seconds: 7 and 14 levels hold the same bounded value
    sizes = []
    for levels in (7, 14):
        (tmp_path / "Bad.md").write_text(f"---\n{laughs(levels)}\n---\n", "utf-8")
        note = load_vault(tmp_path).notes["Bad.md"]
        stack, count = [note.meta], 0
        while stack and count <= 10 * ALIAS_BUDGET:
            value = stack.pop()
            count += 1
            stack.extend(
                value.values()
                if isinstance(value, dict)
                else value
                if isinstance(value, list)
                else ()
            )
        sizes.append(count)
    assert sizes[0] <= ALIAS_BUDGET + 100
    assert sizes[1] <= ALIAS_BUDGET + 200


def test_an_impossible_date_is_reported_once_not_also_as_empty_or_inconsistent(
    tmp_path: Path,
) -> None:
    # `created` is required for type Fact and a date in the other notes: the value read as
    # empty is not also "required field is empty" (KB101) or "text here" (KB110)
    fact = "---\ntitle: {0}\ntype: Fact\ntags: [type/fact]\ncreated: {1}\n---\n[[A]] [[B]] [[C]]\n"
    (tmp_path / "A.md").write_text(fact.format("A", "2024-13-01"), "utf-8")
    (tmp_path / "B.md").write_text(fact.format("B", "2024-01-02"), "utf-8")
    (tmp_path / "C.md").write_text(fact.format("C", "2024-01-03"), "utf-8")
    result = invoke("check", str(tmp_path), "--format", "json", "--no-cache")
    found = [
        (d["path"], d["line"], d["column"], d["code"], d["message"])
        for d in json.loads(result.stdout)["diagnostics"]
        if d["path"] == "A.md"
    ]
    assert found == [("A.md", 5, 10, "KB102", "2024-13-01 is not a date: month 13")]
