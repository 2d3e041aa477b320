"""What `load_vault` reads: notes, attachments, hidden folders, excludes and symlinks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kbtool.config import load_config
from kbtool.vault.load import VaultError, load_vault, read_note


def _write(path: Path, text: str = "---\ntitle: x\n---\nBody\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_notes_attachments_and_hidden_folders(tmp_path: Path) -> None:
    _write(tmp_path / "A.md")
    _write(tmp_path / "sub" / "B.MD")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "pic.png").write_bytes(b"\x89PNG")
    _write(tmp_path / ".obsidian" / "Hidden.md")
    _write(tmp_path / ".kbtool" / "x.md")
    _write(tmp_path / "sub" / ".trash" / "Old.md")
    (tmp_path / "kbtool.toml").write_text("", "utf-8")
    vault = load_vault(tmp_path)
    assert list(vault.notes) == ["A.md", "sub/B.MD"]
    assert vault.attachments == ["img/pic.png"]


def test_excludes_folders_and_globs(tmp_path: Path) -> None:
    (tmp_path / "kbtool.toml").write_text('exclude = ["Templates", "*.draft.md"]\n', "utf-8")
    _write(tmp_path / "Templates" / "T.md")
    _write(tmp_path / "Templates2" / "Kept.md")
    _write(tmp_path / "Note.draft.md")
    _write(tmp_path / "Note.md")
    assert list(load_vault(tmp_path).notes) == ["Note.md", "Templates2/Kept.md"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks need a POSIX file system")
def test_symlinks_out_of_the_vault_and_loops_are_not_followed(tmp_path: Path) -> None:
    vault_dir, outside = tmp_path / "vault", tmp_path / "outside"
    _write(vault_dir / "A.md")
    _write(outside / "Secret.md")
    (vault_dir / "out").symlink_to(outside, target_is_directory=True)
    (vault_dir / "secret.md").symlink_to(outside / "Secret.md")
    (vault_dir / "loop").symlink_to(vault_dir, target_is_directory=True)
    _write(vault_dir / "inner" / "C.md")
    (vault_dir / "inner" / "again").symlink_to(vault_dir / "inner", target_is_directory=True)
    (vault_dir / "alias-of-a.md").symlink_to(vault_dir / "A.md")
    vault = load_vault(vault_dir)
    assert sorted(vault.notes) == ["A.md", "alias-of-a.md", "inner/C.md"]
    assert sorted(vault.skipped_links) == ["inner/again", "loop", "out", "secret.md"]


def test_unicode_names_are_nfc(tmp_path: Path) -> None:
    _write(tmp_path / "Cafe\u0301.md")  # NFD on disk
    assert list(load_vault(tmp_path).notes) == ["Caf\u00e9.md"]


def test_missing_or_file_vault_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="no such vault"):
        load_vault(tmp_path / "nope")
    _write(tmp_path / "file.md")
    with pytest.raises(VaultError, match="not a folder"):
        load_vault(tmp_path / "file.md")


def test_unreadable_file_is_kb001_not_a_crash(tmp_path: Path) -> None:
    """A file that vanishes (or cannot be opened) between listing and reading."""
    note = read_note("Gone.md", tmp_path / "Gone.md")
    [problem] = note.problems
    assert problem.code == "KB001"
    assert problem.message == "cannot read file: No such file or directory"


def test_a_folder_named_like_a_note_is_a_folder(tmp_path: Path) -> None:
    _write(tmp_path / "Dir.md" / "Inside.md")
    assert list(load_vault(tmp_path).notes) == ["Dir.md/Inside.md"]


def test_config_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert not config.has_file
    assert config.schema.required == ["title", "type", "created", "tags"]
    assert config.settings.review.default_interval == "90d"
