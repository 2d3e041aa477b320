"""The sample vault in `vault/` is what the README runs on: it must pass `kbtool check`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kbtool.lint.engine import check
from kbtool.vault.load import load_vault

VAULT = Path(__file__).resolve().parent.parent / "vault"


def test_sample_vault_is_clean() -> None:
    vault = load_vault(VAULT)
    result = check(vault, today=dt.date(2026, 11, 26))
    assert [(d.path, d.line, d.code, d.message) for d in result.diagnostics] == []
    assert result.notes >= 20


def test_sample_vault_excludes_its_templates_folder() -> None:
    vault = load_vault(VAULT)
    assert "Templates/Fact template.md" not in vault.notes
    assert vault.config.settings.exclude == ["Templates"]


def test_sample_vault_has_mocs_and_facts() -> None:
    vault = load_vault(VAULT)
    types = {note.meta.get("type") for note in vault.notes.values()}
    assert types == {"Fact", "MOC"}
    assert "MOCs/MOC - Container Runtime & Orchestration.md" in vault.notes


def test_template_placeholders_are_reported_when_not_excluded(tmp_path: Path) -> None:
    """Without the exclude, the template's `{{date}}` is KB002 at its line, not a crash."""
    template = (VAULT / "Templates" / "Fact template.md").read_bytes()
    (tmp_path / "Fact template.md").write_bytes(template)
    result = check(load_vault(tmp_path), select=["KB002"], today=dt.date(2026, 11, 26))
    [diag] = result.diagnostics
    lines = template.decode("utf-8").split("\n")
    assert "{{" in lines[diag.line - 1]
