"""Every command finds the vault like git and ruff find their root (issue 7 §3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.vault.discover import discover_vault

TODAY = ["--today", "2026-11-26"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """kbtool.toml at the root; Sub/A links out of its folder to B; C has a broken link."""
    root = tmp_path / "vault"
    _write(root / "kbtool.toml", 'exclude = ["Templates"]\n')
    _write(root / "Sub" / "A.md", "---\ntitle: A\n---\nSee [[B]].\n")
    _write(root / "B.md", "---\ntitle: B\n---\nBack to [[A]] and [[C]].\n")
    _write(root / "C.md", "---\ntitle: C\n---\nSee [[Missing]] and [[B]].\n")
    _write(root / "Templates" / "T.md", "---\ntitle: {{title}}: x\n---\n")
    return root


def test_check_in_a_subfolder_checks_the_whole_vault(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(vault / "Sub")
    code, out, err = run("check", "-v", "--format", "json", *TODAY)
    doc = json.loads(out)
    assert doc["vault"] == str(vault)
    assert doc["summary"]["notes"] == 3  # kbtool.toml read: Templates excluded
    assert [(d["path"], d["code"]) for d in doc["diagnostics"]] == [("C.md", "KB201")]
    assert err == f"kbtool: vault: {vault} (nearest folder with kbtool.toml)\n"
    assert code == 1


def test_every_command_finds_the_same_root(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(vault / "Sub")
    code, out, _ = run("stats", "--format", "json")
    assert code == 0
    assert (json.loads(out)["vault"], json.loads(out)["notes"]) == (str(vault), 3)
    code, out, _ = run("graph")
    assert code == 0
    assert {e["target"] for e in json.loads(out)["edges"] if e["source"] == "Sub/A.md"} == {"B.md"}


def test_obsidian_folder_marks_the_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".obsidian").mkdir()
    _write(tmp_path / "x" / "A.md", "---\ntitle: A\n---\n[[B]]\n")
    _write(tmp_path / "B.md", "---\ntitle: B\n---\n[[A]]\n")
    monkeypatch.chdir(tmp_path / "x")
    code, out, _ = run("check", *TODAY)
    assert (code, out) == (0, "Checked 2 notes: 0 errors, 0 warnings, 0 infos.\n")


def test_file_arguments_report_only_on_those_notes(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(vault.parent)
    code, out, _ = run("check", "vault/Sub/A.md", "vault/B.md", *TODAY)
    assert (code, out) == (0, "Checked 2 notes: 0 errors, 0 warnings, 0 infos.\n")
    code, out, _ = run("check", "vault/C.md", *TODAY)
    assert out.splitlines() == [
        "vault/C.md:4:5: KB201 error: [[Missing]] matches no note",
        "Checked 1 note: 1 error, 0 warnings, 0 infos.",
    ]
    assert code == 1


def test_files_that_are_not_notes_are_skipped_and_named(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(vault.parent)
    code, out, err = run("check", "-v", "vault/Templates/T.md", "vault/B.md", *TODAY)
    assert (code, out) == (0, "Checked 1 note: 0 errors, 0 warnings, 0 infos.\n")
    assert err.splitlines()[1] == (
        "kbtool: vault/Templates/T.md: not a note of the vault"
        " (excluded, hidden or not Markdown); skipped"
    )


def test_kbtool_toml_among_the_files_checks_every_note(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(vault)
    code, out, _ = run("check", "kbtool.toml", "B.md", *TODAY)
    assert out.splitlines()[-1] == "Checked 3 notes: 1 error, 0 warnings, 0 infos."
    assert code == 1


def test_files_of_two_vaults_or_a_missing_file_exit_2(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _write(tmp_path / "other" / "kbtool.toml", "")
    _write(other.parent / "D.md", "---\ntitle: D\n---\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("check", "vault/B.md", "other/D.md")
    assert (code, out) == (2, "")
    assert err.startswith("kbtool: error: other/D.md: not inside the vault ")
    assert err.count("\n") == 1
    code, _, err = run("check", "vault/B.md", "vault/Nope.md")
    assert (code, err) == (2, "kbtool: error: vault/Nope.md: no such file\n")


def test_show_and_review_done_find_the_vault_from_the_note(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(vault.parent)
    code, out, _ = run("show", "vault/Sub/A.md", "--format", "json", *TODAY)
    assert code == 0, out
    info = json.loads(out)
    assert (info["vault"], info["path"]) == (str(vault), "Sub/A.md")
    assert [b["source"] for b in info["backlinks"]] == ["B.md"]
    note = _write(vault / "R.md", "---\ntitle: R\ncreated: 2026-01-01\n---\n[[B]]\n")
    code, out, _ = run("review", "done", "vault/R.md", *TODAY)
    assert code == 0, out
    assert out.startswith("R.md: reviewed 2026-11-26")
    assert "last_reviewed: 2026-11-26" in note.read_text("utf-8")


def test_discovery_without_markers(tmp_path: Path) -> None:
    inside = _write(tmp_path / "cwd" / "n" / "A.md", "")
    outside = _write(tmp_path / "elsewhere" / "B.md", "")
    cwd = tmp_path / "cwd"
    assert discover_vault(cwd=cwd).path == cwd
    assert discover_vault(note=inside, cwd=cwd).path == cwd
    assert discover_vault(note=outside, cwd=cwd).path == outside.parent
    assert discover_vault(Path("given"), note=outside, cwd=cwd).path == Path("given")
