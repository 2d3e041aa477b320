"""pyproject.toml declares exactly what kbtool imports, the test extra what the tests add,
and the bench extra what the benchmark scripts add (the suite must not need it).

A fresh virtual environment (`pip install -e .`) has only the declared
packages: an import that is not declared fails there, and a declared package
that nothing imports costs every user an install for nothing.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return _canonical(match.group())


def _declared(extra: str = "test") -> tuple[set[str], set[str]]:
    """The runtime dependencies and those of one extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    runtime = {_requirement_name(r) for r in project["dependencies"]}
    extras = {_requirement_name(r) for r in project["optional-dependencies"][extra]}
    return runtime, extras


def _imported_distributions(folder: Path) -> set[str]:
    """The installed distributions that the modules under `folder` import (anywhere in a file)."""
    top_level: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                top_level.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                top_level.add(node.module.split(".")[0])
    owners = packages_distributions()
    project = {p.name for p in ROOT.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    third_party = top_level - set(sys.stdlib_module_names) - project
    local = {p.stem for p in folder.glob("*.py")}  # tests import their helper modules
    return {_canonical(d) for name in third_party - local for d in owners.get(name, [name])}


def test_runtime_dependencies_are_what_kbtool_imports() -> None:
    runtime, _ = _declared()
    assert _imported_distributions(ROOT / "kbtool") == runtime


def test_tests_import_only_declared_packages() -> None:
    runtime, test = _declared()
    assert _imported_distributions(ROOT / "tests") - runtime <= test


def test_benchmarks_import_only_declared_packages() -> None:
    runtime, test = _declared()
    _, bench = _declared("bench")
    assert _imported_distributions(ROOT / "benchmarks") - runtime - test == bench


def test_the_suite_does_not_need_the_bench_extra() -> None:
    runtime, test = _declared()
    _, bench = _declared("bench")
    assert not (_imported_distributions(ROOT / "tests") - runtime - test) & bench
    assert not bench & test
