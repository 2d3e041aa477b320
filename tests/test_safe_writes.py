"""Writes that change only what they mean to: `check --fix`, `review done` and `-o FILE`.

Fixes never write a link that would be broken or a `|` into a table cell; a linked
note is written through its link (inside the vault only); a read-only note, a device
node or a FIFO is refused with a message; when the review log cannot be saved, the
notes already written are put back.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import NOBODY

from kbtool.cli import main
from kbtool.write.atomic import write_atomic

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX links and permissions")

FIXTURES = Path(__file__).parent / "fixtures"
ALIAS_NOTE = "---\ntitle: {0}\naliases: [AI]\n---\nx\n"
REVIEWED = "---\ntitle: R\ncreated: 2026-01-01\nlast_reviewed: 2026-10-01\n---\nBody\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def fix_links(vault: Path) -> tuple[int, str, str]:
    return run("check", str(vault), "--select", "KB201", "--fix")


def done(vault: Path, *notes: str) -> tuple[int, str, str]:
    return run("review", "done", *notes, "--vault", str(vault), "--today", "2026-11-26")


# -- check --fix: links ---------------------------------------------------------------


def test_no_fix_to_a_note_whose_name_a_link_cannot_hold(tmp_path: Path) -> None:
    """`[[C# language|AI]]` would link to `C` (heading ` language`): a broken link."""
    (tmp_path / "C# language.md").write_text(ALIAS_NOTE.format("C#"), "utf-8")
    (tmp_path / "B.md").write_text("See [[AI]].\n", "utf-8")
    code, _, err = fix_links(tmp_path)
    assert (tmp_path / "B.md").read_text("utf-8") == "See [[AI]].\n"
    assert (code, err) == (1, "")


@pytest.mark.parametrize(
    "table",
    [
        "a | b\n--- | ---\n[[AI]] | cell\n",  # rows without a leading `|`
        "> | a | b |\n> |---|---|\n> [[AI]] | cell\n",  # in a quote, the row without `|`
        "- | a | b |\n  |---|---|\n  [[AI]] | cell\n",  # in a list item
    ],
    ids=["bare", "quote", "list"],
)
def test_a_table_row_is_never_edited_whatever_it_starts_with(tmp_path: Path, table: str) -> None:
    (tmp_path / "Artificial Intelligence.md").write_text(ALIAS_NOTE.format("AI"), "utf-8")
    (tmp_path / "B.md").write_text(table, "utf-8")
    code, _, err = fix_links(tmp_path)
    assert (tmp_path / "B.md").read_text("utf-8") == table
    assert ": not fixed: inside a table row, where '|' would split the cell" in err
    assert code == 1


def test_a_line_with_pipes_that_is_no_table_row_is_fixed(tmp_path: Path) -> None:
    """Without a delimiter row there is no table: `|` is text, and the link can be fixed."""
    (tmp_path / "Artificial Intelligence.md").write_text(ALIAS_NOTE.format("AI"), "utf-8")
    (tmp_path / "B.md").write_text("| [[AI]] | not a table |\n", "utf-8")
    fix_links(tmp_path)
    assert (tmp_path / "B.md").read_text("utf-8") == (
        "| [[Artificial Intelligence|AI]] | not a table |\n"
    )


# -- linked and read-only notes -----------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A vault whose `Link.md` is a symbolic link to `real/Real.md` inside it."""
    vault = tmp_path / "vault"
    (vault / "real").mkdir(parents=True)
    (vault / "real" / "Real.md").write_text(REVIEWED, "utf-8")
    (vault / "Link.md").symlink_to("real/Real.md")
    return vault


def test_review_done_writes_through_a_linked_note(linked: Path) -> None:
    code, _, err = done(linked, "Link")  # by name: the vault path of the link itself
    assert (code, err) == (0, "")
    assert (linked / "Link.md").is_symlink()
    assert os.readlink(linked / "Link.md") == "real/Real.md"
    assert (linked / "real" / "Real.md").read_text("utf-8") == REVIEWED.replace(
        "2026-10-01", "2026-11-26"
    )


def test_check_fix_writes_through_a_linked_note(tmp_path: Path) -> None:
    (tmp_path / "Artificial Intelligence.md").write_text(ALIAS_NOTE.format("AI"), "utf-8")
    (tmp_path / "real.txt").write_text("See [[AI]].\n", "utf-8")
    (tmp_path / "B.md").symlink_to("real.txt")
    fix_links(tmp_path)
    assert (tmp_path / "B.md").is_symlink()
    assert (tmp_path / "real.txt").read_text("utf-8") == "See [[Artificial Intelligence|AI]].\n"


def test_a_link_out_of_the_vault_is_never_written_through(tmp_path: Path) -> None:
    vault, outside = tmp_path / "vault", tmp_path / "outside.md"
    vault.mkdir()
    outside.write_text(REVIEWED, "utf-8")
    (vault / "Out.md").symlink_to(outside)
    with pytest.raises(OSError, match="a symbolic link out of the vault"):
        write_atomic(vault / "Out.md", b"x", within=vault)
    assert outside.read_text("utf-8") == REVIEWED
    assert (vault / "Out.md").is_symlink()


def test_review_done_refuses_a_read_only_note(tmp_path: Path) -> None:
    (tmp_path / "R.md").write_text(REVIEWED, "utf-8")
    (tmp_path / "W.md").write_text(REVIEWED, "utf-8")
    os.chmod(tmp_path / "R.md", 0o444)
    code, out, err = done(tmp_path, "R.md", "W.md")
    assert err == "kbtool: error: R.md: read-only; not changed\n"
    assert out == "W.md: reviewed 2026-11-26; next review 2027-02-24 (90d)\n"
    assert code == 1
    assert (tmp_path / "R.md").read_text("utf-8") == REVIEWED
    assert stat.S_IMODE((tmp_path / "R.md").stat().st_mode) == 0o444


def test_check_fix_refuses_a_read_only_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # paths are shown as typed from the current folder
    (tmp_path / "Artificial Intelligence.md").write_text(ALIAS_NOTE.format("AI"), "utf-8")
    (tmp_path / "B.md").write_text("See [[AI]].\n", "utf-8")
    os.chmod(tmp_path / "B.md", 0o444)
    code, _, err = fix_links(tmp_path)
    assert err == "B.md:1:5: not fixed: read-only\n"
    assert (tmp_path / "B.md").read_text("utf-8") == "See [[AI]].\n"
    assert code == 1


# -- -o FILE --------------------------------------------------------------------------


@pytest.fixture
def small_vault(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "A.md").write_text("---\ntitle: A\n---\nSee [[A]].\n", "utf-8")
    return vault


def test_output_through_a_link_replaces_its_target(small_vault: Path, tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "real.json").write_text("old", "utf-8")
    (tmp_path / "out.json").symlink_to("reports/real.json")
    code, _, _ = run(
        "check", str(small_vault), "--format", "json", "-o", str(tmp_path / "out.json")
    )
    assert code == 0
    assert (tmp_path / "out.json").is_symlink()
    report = json.loads((tmp_path / "reports" / "real.json").read_text("utf-8"))
    assert (report["summary"]["notes"], report["summary"]["errors"]) == (1, 0)


def test_output_to_a_device_node_or_fifo_is_refused(small_vault: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    targets = [(fifo, "a FIFO, not a regular file")]
    try:  # a character device with /dev/null's numbers; making one needs root
        os.mknod(tmp_path / "out.dev", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        targets.append((tmp_path / "out.dev", "a character device, not a regular file"))
    except PermissionError:
        pass
    for target, why in targets:
        for args in (["check", str(small_vault)], ["index", str(small_vault)]):
            code, out, err = run(*args, "-o", str(target))
            assert (code, out) == (2, "")
            assert err == f"kbtool: error: {target}: cannot write ({why})\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if len(targets) == 2:
        assert stat.S_ISCHR(os.lstat(tmp_path / "out.dev").st_mode)


# -- the review log and the notes -----------------------------------------------------


def test_when_the_log_cannot_be_saved_the_notes_are_put_back(public_tmp: Path, as_nobody) -> None:
    """Run as nobody (setpriv): the notes are nobody's, `.kbtool` is root's, so the log can
    be read but not replaced. Every note written before the save must be put back."""
    vault = public_tmp / "vault"
    vault.mkdir()
    os.chmod(vault, 0o777)
    for name in ("A", "B"):
        (vault / f"{name}.md").write_text(REVIEWED, "utf-8")
        os.chown(vault / f"{name}.md", NOBODY, NOBODY)
    (vault / ".kbtool").mkdir()
    log = '{"version": 1, "cards": {}, "reviews": []}\n'
    (vault / ".kbtool" / "reviews.json").write_text(log, "utf-8")
    result = as_nobody("review", "done", "A.md", "B.md", "--vault", str(vault))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"kbtool: error: {vault / '.kbtool' / 'reviews.json'}: cannot write (read-only);"
        " no note was changed\n"
    )
    for name in ("A", "B"):
        assert (vault / f"{name}.md").read_text("utf-8") == REVIEWED
        assert (vault / f"{name}.md").stat().st_uid == NOBODY
    assert (vault / ".kbtool" / "reviews.json").read_text("utf-8") == log


def test_a_linked_review_log_is_written_through_inside_the_vault_only(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "Logs").mkdir(parents=True)
    (vault / ".kbtool").mkdir()
    (vault / "R.md").write_text(REVIEWED, "utf-8")
    empty = '{"version": 1, "cards": {}, "reviews": []}\n'
    (vault / "Logs" / "reviews.json").write_text(empty, "utf-8")
    (vault / ".kbtool" / "reviews.json").symlink_to("../Logs/reviews.json")
    assert done(vault, "R")[0] == 0
    assert (vault / ".kbtool" / "reviews.json").is_symlink()
    log = json.loads((vault / "Logs" / "reviews.json").read_text("utf-8"))
    assert [r["path"] for r in log["reviews"]] == ["R.md"]

    outside = tmp_path / "elsewhere.json"
    outside.write_text(empty, "utf-8")
    (vault / ".kbtool" / "reviews.json").unlink()
    (vault / ".kbtool" / "reviews.json").symlink_to(outside)
    code, out, err = done(vault, "R")
    assert (code, out) == (2, "")
    assert err == (
        f"kbtool: error: {vault / '.kbtool' / 'reviews.json'}: cannot read"
        " (a symbolic link out of the vault)\n"
    )
    assert outside.read_text("utf-8") == empty
