"""The rule registry: one rule per module under `kbtool/rules/`, each with a code and a name.

Adding a rule is adding one file that decorates a function with `@rule(...)`;
`all_rules()` imports every module of the package, so no list needs editing.
Selection, severities, per-path ignores and suppressions are applied in one
place (`kbtool.check`), never inside a rule.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from kbtool.context import RuleContext
    from kbtool.model import Note

Default = Literal["error", "warning", "info", "off"]


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports; the registry adds the code, name and severity."""

    path: str
    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    fix: dict[str, Any] | None = None

    @classmethod
    def at_key(
        cls,
        note: Note,
        key: str,
        message: str,
        *,
        value: bool = False,
        fix: dict[str, Any] | None = None,
    ) -> Finding:
        """A finding at a frontmatter key (or its value); line 1 when the key is absent."""
        pos = note.frontmatter.positions.get(key)
        if pos is None:
            return cls(note.path, 1, 1, message, fix=fix)
        if value:
            return cls(note.path, pos.value_line, pos.value_column, message, fix=fix)
        return cls(note.path, pos.line, pos.column, message, fix=fix)


RuleFunc = Callable[["RuleContext"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    default: Default
    summary: str
    doc: str
    check: RuleFunc


_RULES: dict[str, Rule] = {}


def rule(code: str, name: str, default: Default, summary: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register the decorated function as rule `code`; its docstring is the rule's doc."""

    def register(func: RuleFunc) -> RuleFunc:
        if code in _RULES and _RULES[code].check is not func:
            raise RuntimeError(f"rule {code} registered twice")
        doc = " ".join((func.__doc__ or summary).split())
        _RULES[code] = Rule(code, name, default, summary, doc, func)
        return func

    return register


def all_rules() -> dict[str, Rule]:
    """Every rule, by code, in code order (imports the rule modules on first use)."""
    import kbtool.rules as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return dict(sorted(_RULES.items()))


def rule_by_code_or_name(key: str) -> Rule | None:
    rules = all_rules()
    key_upper = key.upper()
    if key_upper in rules:
        return rules[key_upper]
    return next((r for r in rules.values() if r.name == key.lower()), None)
