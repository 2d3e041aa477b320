"""`kbtool check`: validate every note and report like a linter."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kbtool.check import SelectionError, check
from kbtool.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    open_vault,
    output_option,
    print_notices,
    today_option,
    vault_argument,
    write_output,
)
from kbtool.fix import apply_fixes
from kbtool.report import FORMATS, renderer


def _codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


@click.command("check")
@vault_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people; json, github (Actions annotations) or sarif for tools.",
)
@output_option
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Run only these codes or prefixes (KB2, KB201,KB203). Naming an off rule turns it on.",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes.")
@click.option("--error-on-warning", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when errors are found.")
@click.option(
    "--no-cache", is_flag=True, help="Parse every note afresh instead of reusing the parse cache."
)
@click.option(
    "--fix",
    is_flag=True,
    help="Apply safe fixes (such as 'tags: a, b' to a list), then report what remains.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also say on stderr what was read from .obsidian/ and what is left out (templates).",
)
@today_option
def command(
    vault: Path,
    fmt: str,
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    error_on_warning: bool,
    exit_zero: bool,
    no_cache: bool,
    fix: bool,
    verbose: bool,
    today: object,
) -> None:
    """Validate every note: frontmatter, metadata schema, links and graph hygiene.

    Prints one finding a line as PATH:LINE:COLUMN: CODE message, then a summary.
    Exit status: 0 when no error is found, 1 when one is, 2 on a usage,
    configuration or I/O problem. 'kbtool rules' lists every code;
    'kbtool rules CODE' explains one.

    \b
    Examples:
      kbtool check vault
      kbtool check vault --select KB2 --format github
      kbtool check vault --ignore KB301,KB107 --format json -o report.json
      kbtool check vault -v        # also: settings read from .obsidian/, folders left out
    """
    loaded = open_vault(vault, cache=not no_cache)
    if verbose:
        print_notices(loaded)
    chosen = {"select": _codes(select) or None, "ignore": _codes(ignore), "today": today}
    try:
        result = check(loaded, **chosen)  # type: ignore[arg-type]
    except SelectionError as exc:
        fail(str(exc))
    if fix:
        fixes = apply_fixes(loaded, result.diagnostics)
        for diag, why in fixes.failed:
            click.echo(f"{diag.path}:{diag.line}:{diag.column}: not fixed: {why}", err=True)
        if fixes.fixed:
            click.echo(f"Fixed {len(fixes.fixed)} finding(s) in {fixes.notes} note(s).", err=True)
            loaded = open_vault(vault, cache=not no_cache)
            result = check(loaded, **chosen)  # type: ignore[arg-type]
    colour = fmt == "text" and output is None and sys.stdout.isatty()
    report = renderer(fmt)(result, str(loaded.root), colour)
    write_output(report, output)
    failed = result.count("error") > 0 or (error_on_warning and result.count("warning") > 0)
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_OK)
