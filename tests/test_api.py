"""`import kbtool` is the library the commands are written over (README: "Library API")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kbtool

LINKS = Path(__file__).parent / "fixtures" / "links"


def test_check_through_the_api_reports_what_the_command_does() -> None:
    vault = kbtool.load_vault(LINKS)
    result = kbtool.check(vault, select=["KB201"])
    assert isinstance(result, kbtool.CheckResult)
    assert [(d.path, d.line, d.column) for d in result.diagnostics] == [
        ("Broken only.md", 4, 5),
        ("Source.md", 4, 13),
        ("Source.md", 14, 1),
        ("Source.md", 18, 1),
        ("Source.md", 30, 1),
    ]
    assert all(isinstance(d, kbtool.Diagnostic) and d.code == "KB201" for d in result.diagnostics)
    assert isinstance(vault.notes["Source.md"], kbtool.Note)


def test_graph_and_stats_through_the_api(links_vault: kbtool.Vault) -> None:
    vault = links_vault
    assert vault.graph.number_of_edges() == 37
    assert "Lonely.md" in kbtool.compute_stats(vault).orphans


def test_every_exported_name_resolves_and_errors_share_one_base() -> None:
    assert sorted(kbtool.__all__) == sorted(["__version__", *kbtool._EXPORTS])
    for name in kbtool.__all__:
        assert getattr(kbtool, name) is not None, name
    for error in (kbtool.VaultError, kbtool.ConfigError, kbtool.NoteNotFound):
        assert issubclass(error, kbtool.KbtoolError)
    with pytest.raises(kbtool.VaultError):
        kbtool.load_vault(LINKS / "Note.md")  # a file, not a folder
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = kbtool.nothing  # type: ignore[attr-defined]


def test_import_kbtool_loads_no_layer() -> None:
    """Names load on first use: importing the package imports none of its layers."""
    code = "import sys, kbtool; print(sorted(m for m in sys.modules if m.startswith('kbtool.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['kbtool.base', 'kbtool.base.version']"


def test_the_readme_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python API section's example, run as written from the project's root."""
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text("utf-8")
    section = readme[readme.index("## Python API") :]
    code = section[section.index("```python\n") + 10 : section.index("\n```\n")]
    monkeypatch.chdir(root)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    vault = namespace["vault"]
    assert isinstance(vault, kbtool.Vault) and len(vault.notes) == 27
