"""Run rules over a rule context and gather their findings by path, before severities,
ignores and suppressions are applied (`kbtool.lint.engine`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kbtool.base.gcpause import paused_gc
from kbtool.model import Finding, Severity

if TYPE_CHECKING:
    from kbtool.lint.context import RuleContext

#: A rule's findings, as (code, finding), grouped by the path they are in.
Found = list[tuple[str, Finding]]


def run_rules(
    ctx: RuleContext,
    severities: dict[str, Severity],
    codes: Iterable[str],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Found]:
    """The findings of the rules `codes` (in that order), before ignores and
    suppressions, by the path they are in."""
    from kbtool.lint.registry import all_rules  # the rule modules: only to run them

    rules = all_rules()
    chosen = list(codes)
    found: dict[str, Found] = {}
    with paused_gc():
        for done, code in enumerate(chosen):
            if progress is not None:
                progress(done, len(chosen))
            for finding in rules[code].check(ctx):
                found.setdefault(finding.path, []).append((code, finding))
    return found
