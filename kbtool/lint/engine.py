"""`check()`: run the selected rules over a vault and apply severities, ignores and suppressions.

Rules only find; this module decides what is reported: which rules run
(`select`/`ignore`, from the command line or kbtool.toml), at which severity,
which paths ignore which codes, and which findings an inline comment silences.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kbtool.base.gcpause import paused_gc
from kbtool.codes import UNUSED_SUPPRESSION
from kbtool.config import CONFIG_NAME, Config
from kbtool.errors import KbtoolError
from kbtool.lint.rulerun import Found
from kbtool.lint.ruletable import RULES
from kbtool.model import Diagnostic, Finding, Note, Severity
from kbtool.vault.load import Vault

if TYPE_CHECKING:
    from kbtool.lint.registry import Default, Rule


class SelectionError(KbtoolError, ValueError):
    """A --select/--ignore entry or a severity key that names no rule."""


@dataclass(frozen=True)
class CheckResult:
    """What a check found, and over how many notes and attachments."""

    diagnostics: list[Diagnostic]
    notes: int
    attachments: int
    rules_run: tuple[str, ...] = field(default=())

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    def restricted_to(self, only: Collection[str] | None) -> CheckResult:
        """The result as a check of the notes `only` (vault paths) reports it; all when None."""
        if only is None:
            return self
        kept = [d for d in self.diagnostics if d.path in only]
        return CheckResult(kept, len(only), self.attachments, self.rules_run)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "notes": self.notes,
            "attachments": self.attachments,
            "errors": self.count("error"),
            "warnings": self.count("warning"),
            "infos": self.count("info"),
        }


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p.upper()) for p in patterns)


def _validate_codes(patterns: Iterable[str], rules: Collection[str], where: str) -> None:
    for pattern in patterns:
        p = pattern.upper()
        if not p.startswith("KB") or not any(code.startswith(p) for code in rules):
            raise SelectionError(f"{where}: '{pattern}' names no rule (see 'kbtool rules')")


def effective_severities(
    vault: Vault,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
) -> dict[str, Severity]:
    """The rules that run and their severity, from the defaults, kbtool.toml and arguments.

    A rule that is off by default runs when its full code is selected or a
    severity is set for it in kbtool.toml.
    """
    return severities_for(vault.root, vault.config, select, ignore)


def severities_for(
    root: Path,
    config: Config,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
) -> dict[str, Severity]:
    """`effective_severities` from the vault's root and configuration alone, before any
    note is read (the cached check keys its results by them). The rules' defaults come
    from the registry's generated table: a warm check runs no rule, so imports none."""
    rules = {code: cast("Default", default) for code, (_name, default) in RULES.items()}
    settings = config.settings.rules
    chosen_select = list(select) if select else list(settings.select)
    chosen_ignore = list(settings.ignore) + list(ignore)
    config_file = root / CONFIG_NAME
    _validate_codes(select or (), rules, "--select")
    _validate_codes(ignore, rules, "--ignore")
    _validate_codes(settings.select, rules, f"{config_file}: [rules] select")
    _validate_codes(settings.ignore, rules, f"{config_file}: [rules] ignore")
    _validate_codes(settings.severity, rules, f"{config_file}: [rules.severity]")
    result: dict[str, Severity] = {}
    for code, default in rules.items():
        configured = settings.severity.get(code)
        named = code in {p.upper() for p in chosen_select}
        if chosen_select and not _matches(code, chosen_select):
            continue
        if _matches(code, chosen_ignore):
            continue
        if configured == "off":
            continue
        if configured is not None:
            result[code] = configured
        elif default != "off":
            result[code] = default
        elif named:
            result[code] = "warning"
    return result


def _path_ignores(vault: Vault, path: str) -> list[str]:
    patterns = vault.config.settings.rules.per_path_ignores
    codes: list[str] = []
    for pattern, ignored in patterns.items():
        p = pattern.strip("/")
        if fnmatch.fnmatchcase(path, p) or path.startswith(p + "/"):
            codes.extend(ignored)
    return codes


class _Filter:
    """Per-path ignores and inline suppressions, remembering which suppressions were used."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.used: set[tuple[str, int, int]] = set()
        self._ignores: dict[str, list[str]] = {}

    def ignored(self, path: str, code: str) -> bool:
        if path not in self._ignores:
            self._ignores[path] = _path_ignores(self.vault, path)
        return _matches(code, self._ignores[path])

    def keep(self, finding: Finding, code: str) -> bool:
        if self.ignored(finding.path, code):
            return False
        note = self.vault.notes.get(finding.path)
        if note is None or not note.suppressions:
            return True
        for s in note.suppressions:
            if (not s.codes or code in s.codes) and s.target_line in (0, finding.line):
                self.used.add((note.path, s.line, s.column))
                return False
        return True


def report(
    vault: Vault,
    path: str,
    found: Found,
    severities: dict[str, Severity],
    rules: dict[str, Rule] | None = None,
) -> list[Diagnostic]:
    """What a check reports at `path` from its rules' findings there (in rule order):
    per-path ignores and inline suppressions applied, then the note's suppressions that
    silenced nothing (KB901). A path's report depends on nothing outside the path."""
    if rules is None:
        from kbtool.lint.registry import all_rules

        rules = all_rules()
    keep = _Filter(vault)
    reported = [
        _diagnostic(finding, rules[code], severities[code])
        for code, finding in found
        if keep.keep(finding, code)
    ]
    note = vault.notes.get(path) if UNUSED_SUPPRESSION in severities else None
    if note is not None and note.suppressions:
        reported.extend(_unused(keep, note, severities, rules[UNUSED_SUPPRESSION]))
    return reported


def check(
    vault: Vault,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    today: dt.date | None = None,
    only: Collection[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Run every selected rule over the vault; diagnostics sorted by path, line, column, code.

    With `only` (vault paths of notes), report on those notes alone; links and
    vault-wide rules still see every note. `progress(done, total)` hears of each rule run.
    """
    severities = effective_severities(vault, select, ignore)
    from kbtool.lint.context import RuleContext  # the rules: only to run them
    from kbtool.lint.split import run_rules_split

    ctx = RuleContext(vault, today or dt.date.today())
    with paused_gc():  # the findings are acyclic; a collection would rescan every note
        found = run_rules_split(ctx, severities, list(severities), progress)
        return collect(vault, found, severities).restricted_to(only)


def collect(vault: Vault, found: dict[str, Found], severities: dict[str, Severity]) -> CheckResult:
    """The result of a check whose rules found `found`."""
    from kbtool.lint.registry import all_rules

    paths = found.keys() | {n.path for n in vault.notes.values() if n.suppressions}
    rules = all_rules()
    diagnostics: list[Diagnostic] = []
    for path in sorted(paths):
        diagnostics.extend(report(vault, path, found.get(path, []), severities, rules))
    diagnostics.sort(key=Diagnostic.sort_key)
    return CheckResult(diagnostics, len(vault.notes), len(vault.attachments), tuple(severities))


def _diagnostic(finding: Finding, rule_: Rule, severity: Severity) -> Diagnostic:
    return Diagnostic(
        path=finding.path,
        line=finding.line,
        column=finding.column,
        end_line=finding.end_line if finding.end_line is not None else finding.line,
        end_column=finding.end_column if finding.end_column is not None else finding.column,
        code=rule_.code,
        name=rule_.name,
        severity=severity,
        message=finding.message,
        fix=finding.fix,
    )


def _unused(
    keep: _Filter, note: Note, severities: dict[str, Severity], rule_: Rule
) -> Iterable[Diagnostic]:
    """The note's suppressions that silenced nothing, among those whose codes all ran."""
    for s in note.suppressions:
        if (note.path, s.line, s.column) in keep.used:
            continue
        if s.codes and not all(c in severities for c in s.codes):
            continue
        codes = " ".join(s.codes) if s.codes else "all codes"
        finding = Finding(
            note.path, s.line, s.column, f"suppression of {codes} silenced nothing; remove it"
        )
        if keep.ignored(note.path, UNUSED_SUPPRESSION):
            continue
        yield _diagnostic(finding, rule_, severities[UNUSED_SUPPRESSION])
