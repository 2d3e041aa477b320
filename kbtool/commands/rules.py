"""`kbtool rules [CODE]`: list every rule, or explain one."""

from __future__ import annotations

import textwrap

import click

from kbtool.commands.common import fail
from kbtool.registry import all_rules, rule_by_code_or_name


def _closest_rule(key: str) -> str | None:
    """The rule a mistyped name or code most likely means, as broken links suggest a note."""
    from kbtool.suggest import NameIndex

    rules = list(all_rules().values())
    keys = [r.name for r in rules] + [r.code for r in rules]
    found = NameIndex(keys).closest(key)
    if found is None:
        return None
    rule_ = rules[found % len(rules)]
    return f"{rule_.name} ({rule_.code})"


@click.command("rules")
@click.argument("code", required=False)
def command(code: str | None) -> None:
    """List every check with its code, name and default severity, or explain CODE.

    \b
    Examples:
      kbtool rules
      kbtool rules KB201
      kbtool rules broken-link
    """
    if code is None:
        for r in all_rules().values():
            click.echo(f"{r.code}  {r.name:<28} {r.default:<8} {r.summary}")
        return
    found = rule_by_code_or_name(code)
    if found is None:
        hint = _closest_rule(code)
        fail(f"no rule '{code}' ({f'did you mean {hint}? ' if hint else ''}see 'kbtool rules')")
    click.echo(f"{found.code} {found.name} (default: {found.default})\n")
    click.echo(textwrap.fill(found.doc, width=78))
    click.echo(
        f'\nTurn it off for a vault in kbtool.toml:\n\n  [rules.severity]\n  {found.code} = "off"'
    )
