"""Helpers the rule modules share (this module registers no rule)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Literal

from kbtool.lint.context import RuleContext
from kbtool.lint.registry import Default, Example, Fixability, rule
from kbtool.model import Finding

Source = Literal["parse", "schema"]


def parse_problems(ctx: RuleContext, code: str) -> Iterator[Finding]:
    """The problems the parser recorded with `code` (KB001 to KB004, KB006, KB102)."""
    for note in ctx.notes:
        for problem in note.problems:
            if problem.code == code:
                s = problem.span
                yield Finding(
                    note.path, s.line, s.column, problem.message, s.end_line, s.end_column
                )


def schema_findings(ctx: RuleContext, code: str) -> list[Finding]:
    """The findings of the shared schema pass with `code` (KB101 to KB104)."""
    return ctx.schema.findings.get(code, [])


def forward(
    code: str,
    name: str,
    default: Default,
    summary: str,
    *,
    sources: tuple[Source, ...],
    what: str,
    why: str,
    example: Example,
    fix: Fixability = "none",
) -> None:
    """Declare a rule whose findings the parser or the schema pass already made.

    Those layers sit below the rules, so they record problems by code
    (`kbtool.codes`); the rule only hands them on, with its doc.
    """

    def check(ctx: RuleContext) -> Iterable[Finding]:
        found: list[Iterable[Finding]] = []
        if "parse" in sources:
            found.append(parse_problems(ctx, code))
        if "schema" in sources:
            found.append(schema_findings(ctx, code))
        return itertools.chain.from_iterable(found)

    rule(code, name, default, summary, what=what, why=why, example=example, fix=fix)(check)
