"""`kbtool rules [CODE]`: list every rule, or explain one."""

from __future__ import annotations

import click

from kbtool.cli.common import fail, format_option
from kbtool.lint.registry import all_rules, rule_by_code_or_name
from kbtool.lint.ruledoc import rule_text, rules_json, rules_listing, rules_markdown


def _closest_rule(key: str) -> str | None:
    """The rule a mistyped name or code most likely means, as broken links suggest a note."""
    from kbtool.vault.names import NameIndex

    rules = list(all_rules().values())
    keys = [r.name for r in rules] + [r.code for r in rules]
    found = NameIndex(keys).closest(key)
    if found is None:
        return None
    rule_ = rules[found % len(rules)]
    return f"{rule_.name} ({rule_.code})"


@click.command("rules")
@click.argument("code", required=False)
@format_option(
    ("text", "md", "json"),
    "text: for reading; md: the README's rule tables; json: every field, for tools.",
)
def command(code: str | None, fmt: str) -> None:
    """List every check with its code, name and default severity, or explain CODE.

    CODE is a code or a name. Its explanation says what the rule finds, why
    that matters, a note it reports and the same note fixed, and whether
    `kbtool check --fix` can fix it.

    \b
    Examples:
      kbtool rules
      kbtool rules KB201
      kbtool rules broken-link
      kbtool rules --format md        # the tables in the README
      kbtool rules --format json | jq '.[] | select(.fixable) | .code'
    """
    if code is None:
        rules = all_rules()
        if fmt == "json":
            click.echo(rules_json(list(rules.values())), nl=False)
        elif fmt == "md":
            click.echo(rules_markdown(rules), nl=False)
        else:
            click.echo(rules_listing(rules), nl=False)
        return
    found = rule_by_code_or_name(code)
    if found is None:
        hint = _closest_rule(code)
        fail(f"no rule '{code}' ({f'did you mean {hint}? ' if hint else ''}see 'kbtool rules')")
    if fmt == "json":
        click.echo(rules_json([found]), nl=False)
    else:
        click.echo(rule_text(found), nl=False)
