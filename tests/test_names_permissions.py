"""Names and permissions: names that are not UTF-8, folders that cannot be opened, NOTE
arguments that cannot be file names. Never a traceback; a clear finding or exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.vault.load import load_vault

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX names and permissions")

NOTE = "---\ntitle: {0}\n---\nSee [[A]].\n"
LONG_NAME = "n" * 300  # a file name is at most 255 bytes


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_a_note_name_that_is_not_utf8_goes_through_the_parse_cache(tmp_path: Path) -> None:
    """Python lists such a name with surrogate escapes, which SQLite cannot store as text."""
    root = os.fsencode(tmp_path)
    with open(root + b"/caf\xe9.md", "w", encoding="utf-8") as handle:
        handle.write(NOTE.format("cafe"))
    (tmp_path / "A.md").write_text(NOTE.format("A"), "utf-8")
    first = load_vault(tmp_path, cache=True)
    assert sorted(first.notes) == ["A.md", "caf\udce9.md"]
    assert (first.cache_hits, first.cache_misses) == (0, 2)
    second = load_vault(tmp_path, cache=True)
    assert (second.cache_hits, second.cache_misses) == (2, 0)
    assert second.notes["caf\udce9.md"].title == "cafe"


def test_a_vault_whose_name_is_not_utf8_is_checked_with_the_cache(tmp_path: Path) -> None:
    vault = Path(os.fsdecode(os.fsencode(tmp_path) + b"/v\xff"))
    vault.mkdir()
    (vault / "A.md").write_text(NOTE.format("A"), "utf-8")
    for _ in range(2):  # the second run reads the cache
        code, out, err = run("check", str(vault), "--select", "KB201")
        assert (code, err) == (0, "")
        assert out.splitlines()[-1] == "Checked 1 note: 0 errors, 0 warnings, 0 infos."


def test_a_name_that_is_not_utf8_is_written_to_o_file_as_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output file is valid UTF-8: the undecodable byte shows as U+FFFD, as on stdout."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "A.md").write_text(NOTE.format("A"), "utf-8")
    with open(os.fsencode(vault) + b"/B\xff.md", "w", encoding="utf-8") as handle:
        handle.write("---\ntitle: B\n---\n[[Gone]]\n")
    report = tmp_path / "report.txt"
    monkeypatch.chdir(vault)  # paths are shown as typed from the current folder
    code, out, err = run("check", str(vault), "--select", "KB201", "-o", str(report))
    assert (code, out, err) == (1, "", "")
    assert (
        report.read_text("utf-8").splitlines()[0]
        == "B\ufffd.md:4:1: KB201 error: [[Gone]] matches no note"
    )


@pytest.mark.parametrize("command", ["show", "done"])
def test_a_note_argument_over_255_bytes_is_a_name_that_matches_nothing(
    tmp_path: Path, command: str
) -> None:
    (tmp_path / "A.md").write_text(NOTE.format("A"), "utf-8")
    args = ["show", LONG_NAME] if command == "show" else ["review", "done", LONG_NAME]
    code, out, err = run(*args, "--vault", str(tmp_path))
    assert (code, out) == (2 if command == "show" else 1, "")
    assert err == f"kbtool: error: {LONG_NAME}: no such note in {tmp_path}\n"
    assert (tmp_path / "A.md").read_text("utf-8") == NOTE.format("A")


# Permission errors: run as the user nobody (conftest's `as_nobody`), since chmod does not
# stop root.


def test_a_vault_under_a_folder_one_cannot_enter_is_exit_2(tmp_path: Path, as_nobody) -> None:
    """tmp_path's parent is root's with mode 0700: nobody cannot reach the vault."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "A.md").write_text(NOTE.format("A"), "utf-8")
    for command in ("check", "stats", "index"):
        result = as_nobody(command, str(vault), cwd=Path("/"))
        assert result.returncode == 2, result.stderr
        why = "cannot open the vault (Permission denied)"
        assert result.stderr == f"kbtool: error: {vault}: {why}\n"


def test_an_unreadable_folder_is_kb001_not_silent_broken_links(public_tmp: Path, as_nobody) -> None:
    vault = public_tmp / "vault"
    (vault / "Private").mkdir(parents=True)
    (vault / "A.md").write_text("---\ntitle: A\n---\nSee [[Hidden]].\n", "utf-8")
    (vault / "Private" / "Hidden.md").write_text(NOTE.format("Hidden"), "utf-8")
    os.chmod(vault / "Private", 0o700)  # root's: nobody cannot list it
    result = as_nobody("check", str(vault), "--select", "KB001,KB201", cwd=public_tmp)
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "vault/A.md:4:5: KB201 error: [[Hidden]] matches no note",
        "vault/Private:1:1: KB001 error: cannot open the folder (Permission denied);"
        " its notes are not checked",
        "Checked 1 note: 2 errors, 0 warnings, 0 infos.",
    ]
