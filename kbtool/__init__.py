"""kbtool: check, graph, index and schedule reviews of Markdown knowledge vaults.

The library the commands are written over::

    import kbtool

    vault = kbtool.load_vault("vault")            # every note parsed, links resolvable
    result = kbtool.check(vault, select=["KB2"])  # the diagnostics `kbtool check` prints
    for d in result.diagnostics:
        print(d.path, d.line, d.column, d.code, d.message)
    vault.graph                                   # networkx.MultiDiGraph, one edge per link
    kbtool.compute_stats(vault).orphans           # what `kbtool stats` reports

Names are imported on first use, so `import kbtool` costs nothing and a script
pays only for what it calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kbtool.base.version import __version__

if TYPE_CHECKING:
    from kbtool.config import Config, ConfigError, load_config
    from kbtool.errors import KbtoolError
    from kbtool.graph.export import export_graph
    from kbtool.graph.stats import VaultStats, compute_stats
    from kbtool.index.build import Index, build_index
    from kbtool.index.note_card import describe_note
    from kbtool.lint.engine import CheckResult, check
    from kbtool.lint.fix import FixReport, apply_fixes
    from kbtool.lint.registry import Rule, all_rules
    from kbtool.model import Diagnostic, Finding, Fix, Link, Note, ReplaceText, SetProperty
    from kbtool.review.schedule import DueItem, due_reviews
    from kbtool.site.builder import BuildResult, build_site
    from kbtool.vault.load import Vault, VaultError, load_vault
    from kbtool.vault.locate import NoteNotFound, locate_note

#: Public name -> the module that defines it.
_EXPORTS = {
    "load_vault": "kbtool.vault.load",
    "Vault": "kbtool.vault.load",
    "VaultError": "kbtool.vault.load",
    "locate_note": "kbtool.vault.locate",
    "NoteNotFound": "kbtool.vault.locate",
    "Config": "kbtool.config",
    "ConfigError": "kbtool.config",
    "load_config": "kbtool.config",
    "KbtoolError": "kbtool.errors",
    "Note": "kbtool.model",
    "Link": "kbtool.model",
    "Diagnostic": "kbtool.model",
    "Finding": "kbtool.model",
    "Fix": "kbtool.model",
    "ReplaceText": "kbtool.model",
    "SetProperty": "kbtool.model",
    "check": "kbtool.lint.engine",
    "CheckResult": "kbtool.lint.engine",
    "apply_fixes": "kbtool.lint.fix",
    "FixReport": "kbtool.lint.fix",
    "all_rules": "kbtool.lint.registry",
    "Rule": "kbtool.lint.registry",
    "compute_stats": "kbtool.graph.stats",
    "VaultStats": "kbtool.graph.stats",
    "export_graph": "kbtool.graph.export",
    "build_index": "kbtool.index.build",
    "Index": "kbtool.index.build",
    "describe_note": "kbtool.index.note_card",
    "due_reviews": "kbtool.review.schedule",
    "DueItem": "kbtool.review.schedule",
    "build_site": "kbtool.site.builder",
    "BuildResult": "kbtool.site.builder",
}

__all__ = [
    "BuildResult",
    "CheckResult",
    "Config",
    "ConfigError",
    "Diagnostic",
    "DueItem",
    "Finding",
    "Fix",
    "FixReport",
    "Index",
    "KbtoolError",
    "Link",
    "Note",
    "NoteNotFound",
    "ReplaceText",
    "Rule",
    "SetProperty",
    "Vault",
    "VaultError",
    "VaultStats",
    "__version__",
    "all_rules",
    "apply_fixes",
    "build_index",
    "build_site",
    "check",
    "compute_stats",
    "describe_note",
    "due_reviews",
    "export_graph",
    "load_config",
    "load_vault",
    "locate_note",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kbtool' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
