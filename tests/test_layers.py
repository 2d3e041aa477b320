"""The package layout is the architecture: imports go down only, and nothing imports in a circle.

Every `import` in kbtool/ counts, at module level, under `TYPE_CHECKING` and inside
functions alike: an import moved into a function to dodge a cycle is still the cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "kbtool"

#: Bottom to top. A module may import from its own package and from any lower layer.
LAYERS: list[str] = [
    "base",  # uses nothing of kbtool
    "codes",
    "errors",
    "model",
    "notes",  # one note, no I/O
    "config",  # kbtool.toml and .obsidian/ (reads intervals through notes/)
    "vault",  # many notes: load, cache, resolve, link graph
    "write",  # the only code that changes files
    "review",  # the schedule, below lint: check reports overdue reviews
    "lint",  # rules to diagnostics (check --fix writes through write/)
    "graph",  # statistics and exports
    "index",  # reads MOC reach from graph/
    "site",  # the index, the review page and the link findings on a page
    "cli",
    "__main__",
    "__init__",  # the library API, imported by nothing inside kbtool
]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


_MODULES = frozenset(_module_name(p) for p in PACKAGE.rglob("*.py"))


def _imports(path: Path, module: str) -> set[str]:
    """Every kbtool module `path` imports, as dotted names (a package means its __init__)."""
    is_package = path.name == "__init__.py"
    here = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "kbtool")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "kbtool":
                continue
            submodules = {f"{target}.{a.name}" for a in node.names} & _MODULES
            found.update(submodules)  # `from kbtool.notes import scan` imports a module
            if len(submodules) < len(node.names):  # and a name from the package itself
                found.add(target)
    return found


def _import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        graph.add_node(module)
        for target in _imports(path, module):
            if target != module:
                graph.add_edge(module, target)
    return graph


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_part_of_kbtool_has_a_layer() -> None:
    units = {_layer(m) for m in _import_graph()}
    assert units - set(LAYERS) == set()
    assert "vault" in units and "lint" in units  # the walk found the tree


def test_imports_go_down_only() -> None:
    upward = sorted(
        f"{source} imports {target}"
        for source, target in _import_graph().edges
        if _layer(source) != _layer(target) and RANK[_layer(target)] > RANK[_layer(source)]
    )
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _import_graph()
    assert graph.number_of_edges() > 100
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


def test_at_most_six_modules_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 6, top


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The walk counts an import inside a function under TYPE_CHECKING as an import."""
    source = tmp_path / "kbtool" / "notes" / "x.py"
    source.parent.mkdir(parents=True)
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from kbtool.vault.load import Vault\n"
        "def f():\n    from ..lint import engine\n"
    )
    found = _imports(source, "kbtool.notes.x")
    assert found == {"kbtool.vault.load", "kbtool.lint.engine"}
    assert RANK[_layer("kbtool.lint.engine")] > RANK[_layer("kbtool.notes.x")]
