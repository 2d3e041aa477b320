"""Finding paths are shown as from the current folder, computed once a report for the
vault's root and the current folder (resolving them once a finding cost a third of a
second for 1,700 findings): the same text as pathlib's joining and relative_to."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbtool.lint.formats.options import PathDisplay, ReportOptions

ROOT = Path("/srv/notes/vault")
PARTS = st.sampled_from(["a", "b c", ".", "..", "", "Note.md", ".hidden", "vault", "x.md/"])
VAULT_PATHS = st.lists(PARTS, min_size=1, max_size=4).map("/".join)
CWDS = st.sampled_from(["/", "/srv", "/srv/notes", str(ROOT), f"{ROOT}/a", "/srv/no", "/elsewhere"])


def _as_pathlib_shows(vault_path: str, cwd: Path) -> str:
    absolute = ROOT / vault_path
    if absolute.is_relative_to(cwd):
        return absolute.relative_to(cwd).as_posix()
    return str(absolute)


@given(VAULT_PATHS, CWDS)
def test_the_same_text_as_pathlib(vault_path: str, cwd: str) -> None:
    shown = PathDisplay(ROOT, Path(cwd)).shown(vault_path)
    assert shown == _as_pathlib_shows(vault_path, Path(cwd))


def test_paths_below_above_and_beside_the_current_folder() -> None:
    assert ReportOptions(ROOT, cwd=Path("/srv")).display_path("a/N.md") == "notes/vault/a/N.md"
    assert ReportOptions(ROOT, cwd=ROOT / "a").display_path("a/N.md") == "N.md"
    assert ReportOptions(ROOT, cwd=ROOT / "a").display_path("b/N.md") == f"{ROOT}/b/N.md"
    assert ReportOptions(ROOT, cwd=Path("/")).display_path("N.md") == "srv/notes/vault/N.md"


def test_the_root_and_the_current_folder_are_resolved_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted: `Path.resolve` runs for the two folders, not once a finding."""
    calls: list[Path] = []
    original = Path.resolve

    def counting(self: Path, strict: bool = False) -> Path:
        calls.append(self)
        return original(self, strict)

    options = ReportOptions(tmp_path, cwd=tmp_path)
    monkeypatch.setattr(Path, "resolve", counting)
    shown = [options.display_path(f"n{i}.md") for i in range(100)]
    assert shown[99] == "n99.md"
    assert calls == [tmp_path, tmp_path]
