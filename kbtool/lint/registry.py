"""The rule registry: one rule per module under `kbtool/lint/rules/`, each with a code and a name.

Adding a rule is adding one file that decorates a function with `@rule(...)`,
or, for a rule that only reports what the parser or the schema pass found, one
`forward(...)` declaration (`kbtool.lint.rules._shared`). `all_rules()` imports
every module of the package, so no list needs editing.
Selection, severities, per-path ignores and suppressions are applied in one
place (`kbtool.lint.engine`), never inside a rule.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kbtool import codes
from kbtool.model import Finding

if TYPE_CHECKING:
    from kbtool.lint.context import RuleContext
    from kbtool.model import Note
    from kbtool.vault.resolve import ResolvedLink

Default = Literal["error", "warning", "info", "off"]


RuleFunc = Callable[["RuleContext"], Iterable[Finding]]
Fixability = Literal["none", "sometimes", "always"]
#: What of one note a vault-wide rule reads (given the note's resolved links): when
#: no note's input changed, neither did the rule's findings.
VaultInput = Callable[["RuleContext", "Note", "Sequence[ResolvedLink]"], Hashable]
#: A vault-wide rule's findings made from every note's input alone (by vault path).
FromInputs = Callable[["RuleContext", "Mapping[str, Any]"], Iterable[Finding]]

#: The README's rule tables, by the hundreds digit of the code.
FAMILIES: dict[str, tuple[str, ...]] = {
    "metadata": ("0", "1", "9"),
    "links": ("2", "3", "4"),
}


@dataclass(frozen=True, slots=True)
class Example:
    """A note that the rule reports (`bad`) and the same note written so it does not.

    An example of several files starts each with a line `Name.md:` (or
    `kbtool.toml:`; the text may follow on that line); tests write the files
    and run the rule on both.
    """

    bad: str
    good: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule and its documentation, in the shape ruff gives its rules."""

    code: str
    name: str
    default: Default
    summary: str
    what: str
    why: str
    example: Example
    fix: Fixability
    check: RuleFunc
    #: None for a rule of one note: its findings in a note depend on that note and on
    #: the names, headings and blocks its links reach, and it reads only `ctx.notes`
    #: and `ctx.links`. Else the rule reads the whole vault, through this input alone.
    vault_input: VaultInput | None = None
    #: With `vault_input`: the findings from the inputs alone, which is what `check` must
    #: give; an incremental check then re-makes them without reading a note.
    from_inputs: FromInputs | None = None

    @property
    def fixable(self) -> bool:
        return self.fix != "none"

    @property
    def family(self) -> str:
        return family_of(self.code)

    @property
    def doc(self) -> str:
        """What the rule finds and why, as one paragraph (SARIF's full description)."""
        return f"{self.what} {self.why}"


_RULES: dict[str, Rule] = {}


def family_of(code: str) -> str:
    """The README table a code belongs to, by its hundreds digit."""
    hundreds = code[2:3]
    return next(name for name, digits in FAMILIES.items() if hundreds in digits)


def _paragraph(text: str) -> str:
    return " ".join(text.split())


def rule(
    code: str,
    name: str,
    default: Default,
    summary: str,
    *,
    why: str,
    example: Example,
    what: str | None = None,
    fix: Fixability = "none",
    vault_input: VaultInput | None = None,
    from_inputs: FromInputs | None = None,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register the decorated function as rule `code`.

    `what` (the function's docstring unless given), `why`, `example` and `fix` are
    the rule's doc, printed by `kbtool rules CODE`. `vault_input` marks a rule whose
    findings depend on every note (see `Rule.vault_input`, `Rule.from_inputs`). A code
    that the layers below the checker emit must be the one `kbtool.codes` gives the name.
    """
    expected = codes.BY_NAME.get(name)
    if expected is not None and expected != code:
        raise RuntimeError(f"rule {name} is {code}, but kbtool.codes says {expected}")
    family_of(code)  # a code outside every family fails here, at import

    def register(func: RuleFunc) -> RuleFunc:
        if code in _RULES and _RULES[code].check is not func:
            raise RuntimeError(f"rule {code} registered twice")
        found = _paragraph(what if what is not None else func.__doc__ or summary)
        _RULES[code] = Rule(
            code,
            name,
            default,
            summary,
            found,
            _paragraph(why),
            example,
            fix,
            func,
            vault_input,
            from_inputs,
        )
        return func

    return register


def _registered() -> dict[str, Rule]:
    """Every rule the modules of the package register, by code, in code order."""
    import kbtool.lint.rules as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    missing = {name: code for name, code in codes.BY_NAME.items() if code not in _RULES}
    if missing:
        raise RuntimeError(f"kbtool.codes names codes that no rule declares: {missing}")
    return dict(sorted(_RULES.items()))


def all_rules() -> dict[str, Rule]:
    """Every rule, by code, in code order (imports the rule modules on first use).
    Refuses to run when the table of defaults no longer says what the rules declare."""
    rules = _registered()
    from kbtool.lint.ruletable import RULES

    if {code: (r.name, r.default) for code, r in rules.items()} != RULES:
        raise RuntimeError(f"{TABLE} is out of date: run python -m kbtool.lint.registry")
    return rules


TABLE = Path(__file__).with_name("ruletable.py")


def table_source() -> str:
    """The text of `kbtool/lint/ruletable.py` for the rules as registered."""
    import json  # strings as the formatter writes them: in double quotes

    rows = "".join(
        f"    {json.dumps(code)}: ({json.dumps(r.name)}, {json.dumps(r.default)}),\n"
        for code, r in _registered().items()
    )
    return (
        '"""Every rule\'s code, name and default severity, known without importing the rules.\n\n'
        "Generated from the registry by `python -m kbtool.lint.registry`; do not edit.\n"
        '"""\n\n'
        "from typing import Final\n\n"
        f"RULES: Final[dict[str, tuple[str, str]]] = {{\n{rows}}}\n"
    )


def rule_by_code_or_name(key: str) -> Rule | None:
    rules = all_rules()
    key_upper = key.upper()
    if key_upper in rules:
        return rules[key_upper]
    return next((r for r in rules.values() if r.name == key.lower()), None)


if __name__ == "__main__":  # regenerate the table: python -m kbtool.lint.registry
    import kbtool.lint.registry as registry  # the module the rules register with

    registry.TABLE.write_text(registry.table_source(), "utf-8")
