"""`--version`, `--help` and `rules` answer without importing the heavy libraries.

Counted in modules, not seconds: each library below costs tens of
milliseconds to import (networkx and pydantic most), and none is needed to
print a version, a help text or the rule table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {
    "networkx",
    "pydantic",
    "yaml",
    "rich",
    "rapidfuzz",
    "markdown_it",
    "icalendar",
    "fsrs",
    "sqlite3",
    "numpy",
    "scipy",
}

PROBE = """
import json, sys
from kbtool.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules_after(*args: str) -> tuple[str, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
    return done.stdout, modules


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("--help",),
        ("rules",),
        ("rules", "--format", "json"),
        ("rules", "--format", "md"),
        ("check", "--help"),
    ],
)
def test_no_heavy_import(args: tuple[str, ...]) -> None:
    out, modules = _modules_after(*args)
    assert out  # it answered
    assert {m.split(".")[0] for m in modules} & HEAVY == set()


def test_version_loads_no_command() -> None:
    out, modules = _modules_after("--version")
    assert out == "kbtool, version 0.1.0\n"
    assert {m for m in modules if m.startswith("kbtool.cli.")} == set()


def test_choices_named_in_commands_match_the_library() -> None:
    """Commands repeat two constants so as not to import the library to build their options."""
    import kbtool.cli.graph as graph_command
    import kbtool.cli.index as index_command
    from kbtool.graph.export import FORMATS
    from kbtool.index import DEFAULT_RECENT

    assert graph_command.FORMATS == FORMATS
    assert index_command.DEFAULT_RECENT == DEFAULT_RECENT


def test_default_configuration_needs_no_pydantic(tmp_path: Path) -> None:
    """pydantic and the schema it builds cost more than the rest of a small check."""
    probe = "import sys; from pathlib import Path; from kbtool.config import load_config\n"
    probe += (
        "print(load_config(Path(sys.argv[1])).settings.rules.select, 'pydantic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert done.stdout == "[] False\n"


def _write_small_vault(root: Path) -> None:
    root.mkdir()
    (root / "A.md").write_text("---\ntitle: A\n---\nSee [[B]] and [[Nowhere]].\n", "utf-8")
    (root / "B.md").write_text("---\ntitle: B\n---\nBack to [[A]].\n", "utf-8")


@pytest.mark.parametrize("toml", [None, 'exclude = ["Templates"]\n[links]\nfolder_pages = true\n'])
def test_warm_check_imports_no_rule_and_no_heavy_library(tmp_path: Path, toml: str | None) -> None:
    """A warm check reuses the stored findings: no rule runs, so no rule module, no
    parser, and only the text report's module; no pydantic either, without kbtool.toml
    (the defaults are plain objects) or with one of plainly typed settings."""
    vault = tmp_path / "v"
    _write_small_vault(vault)
    if toml is not None:
        (vault / "kbtool.toml").write_text(toml, "utf-8")
    cold, _ = _modules_after("check", str(vault))
    warm_out, modules = _modules_after("check", str(vault))
    assert warm_out == cold
    assert warm_out == (
        f"{vault}/A.md:4:15: KB201 error: [[Nowhere]] matches no note\n"
        "Checked 2 notes: 1 error, 0 warnings, 0 infos.\n"
    )
    assert {m.split(".")[0] for m in modules} & HEAVY == {"sqlite3"}  # the cache itself
    loaded = {m for m in modules if m.startswith("kbtool.")}
    assert {m for m in loaded if m.startswith("kbtool.lint.rules.")} == set()
    unneeded = {
        "kbtool.lint.registry",
        "kbtool.lint.schema",
        "kbtool.notes.parse",
        "kbtool.config.validate",
        "kbtool.lint.formats.sarif",
        "kbtool.lint.formats.json_format",
        "kbtool.lint.formats.github",
    }
    assert loaded & unneeded == set()
    # read only when there is a file
    assert ("tomllib" in modules) == ("kbtool.config.plain" in modules) == (toml is not None)


def test_a_setting_to_convert_is_left_to_pydantic(tmp_path: Path) -> None:
    """`folder_pages = 1` is not a boolean as written: pydantic converts it (to true)."""
    _write_small_vault(tmp_path / "v")
    (tmp_path / "v" / "kbtool.toml").write_text("[links]\nfolder_pages = 1\n", "utf-8")
    out, modules = _modules_after("check", str(tmp_path / "v"))
    assert out.endswith("Checked 2 notes: 1 error, 0 warnings, 0 infos.\n")
    assert "kbtool.config.validate" in modules and "pydantic" in modules
