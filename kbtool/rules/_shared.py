"""Helpers the rule modules share (this module registers no rule)."""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.context import RuleContext
from kbtool.registry import Finding


def parse_problems(ctx: RuleContext, code: str) -> Iterator[Finding]:
    """The problems the parser recorded with `code` (KB001 to KB006)."""
    for note in ctx.vault.notes.values():
        for problem in note.problems:
            if problem.code == code:
                s = problem.span
                yield Finding(
                    note.path, s.line, s.column, problem.message, s.end_line, s.end_column
                )


def schema_findings(ctx: RuleContext, code: str) -> list[Finding]:
    """The findings of the shared schema pass with `code` (KB101 to KB104)."""
    return ctx.schema.findings.get(code, [])
