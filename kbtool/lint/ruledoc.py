"""Rule documentation rendered from the registry: the one source of `kbtool rules` and the README.

The README's rule tables are this module's Markdown output, pasted between
`<!-- rules:begin FAMILY -->` and `<!-- rules:end FAMILY -->`; a test fails
when the two differ, so a rule's summary is written once, on the rule.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from kbtool.lint.registry import FAMILIES, Rule

_FIX_LINE = {
    "none": "Fix: none",
    "sometimes": "Fix: safe fix sometimes available (kbtool check --fix)",
    "always": "Fix: safe fix available (kbtool check --fix)",
}
_WIDTH = 78


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=_WIDTH)


def rule_text(rule: Rule) -> str:
    """One rule's doc in ruff's shape: what it does, why it is bad, an example, the fix."""
    return "\n".join(
        [
            f"{rule.code} {rule.name} (default: {rule.default})",
            "",
            "## What it does",
            _wrap(rule.what),
            "",
            "## Why is this bad?",
            _wrap(rule.why),
            "",
            "## Example",
            "```markdown",
            rule.example.bad,
            "```",
            "",
            "Use instead:",
            "```markdown",
            rule.example.good,
            "```",
            "",
            _FIX_LINE[rule.fix],
            "",
            "Turn it off for a vault in kbtool.toml:",
            "",
            "  [rules.severity]",
            f'  {rule.code} = "off"',
            "",
        ]
    )


def rules_listing(rules: dict[str, Rule]) -> str:
    """One line per rule: code, name, default severity, summary."""
    return "".join(f"{r.code}  {r.name:<28} {r.default:<8} {r.summary}\n" for r in rules.values())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def family_table(rules: dict[str, Rule], family: str) -> str:
    """The README's table of one family, between its marker comments."""
    rows = [
        f"| {r.code} | {r.name} | {r.default} | {'' if r.fix == 'none' else r.fix} "
        f"| {_cell(r.summary)} |"
        for r in rules.values()
        if r.family == family
    ]
    return "\n".join(
        [
            f"<!-- rules:begin {family} -->",
            "| code | name | default | fix | finds |",
            "|---|---|---|---|---|",
            *rows,
            f"<!-- rules:end {family} -->",
            "",
        ]
    )


def rules_markdown(rules: dict[str, Rule]) -> str:
    """Every family's table, separated by a blank line."""
    return "\n".join(family_table(rules, family) for family in FAMILIES)


def rule_data(rule: Rule) -> dict[str, Any]:
    """A rule as plain data, for tools (`kbtool rules --format json`)."""
    return {
        "code": rule.code,
        "name": rule.name,
        "default": rule.default,
        "family": rule.family,
        "summary": rule.summary,
        "fixable": rule.fixable,
        "fix": rule.fix,
        "doc": {
            "what": rule.what,
            "why": rule.why,
            "example": {"bad": rule.example.bad, "good": rule.example.good},
        },
    }


def rules_json(rules: list[Rule]) -> str:
    return json.dumps([rule_data(r) for r in rules], indent=2, ensure_ascii=False) + "\n"
