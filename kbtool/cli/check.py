"""`kbtool check`: validate every note and report like a linter."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtool.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    format_option,
    list_vault,
    note,
    output_option,
    today_option,
    verbose_option,
    write_output,
)
from kbtool.cli.progress import progress
from kbtool.lint.formats import FORMATS, OUTPUT_FORMATS

if TYPE_CHECKING:
    from kbtool.lint.engine import CheckResult
    from kbtool.vault.load import Vault, VaultFiles


def _codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _only(listing: VaultFiles, files: list[Path]) -> set[str] | None:
    """The notes FILE arguments name (None: every note), saying in verbose output why."""
    from kbtool.vault.discover import TargetError, select_notes

    try:
        selection = select_notes(listing.root, listing.note_paths, files)
    except TargetError as exc:
        fail(str(exc))
    if selection.notes is None:
        note("kbtool.toml is among the files: checking every note")
    for file in selection.skipped:
        note(f"{file}: not a note of the vault (excluded, hidden or not Markdown); skipped")
    return selection.notes


@click.command("check")
@click.argument("paths", nargs=-1, metavar="[VAULT | FILE...]", type=click.Path(path_type=Path))
@verbose_option
@format_option(FORMATS, "text for people; json, github (Actions annotations) or sarif for tools.")
@click.option(
    "--output-format",
    type=click.Choice(OUTPUT_FORMATS),
    default="concise",
    show_default=True,
    help="Text only: full adds each finding's source line with a caret under it.",
)
@click.option("--statistics", is_flag=True, help="Text only: a count per code, not the findings.")
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
@today_option
def command(
    paths: tuple[Path, ...],
    fmt: str,
    output_format: str,
    statistics: bool,
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    error_on_warning: bool,
    exit_zero: bool,
    no_cache: bool,
    fix: bool,
    today: object,
) -> None:
    """Validate every note: frontmatter, metadata schema, links and graph hygiene.

    Without arguments, the vault is the nearest folder at or above the current
    one that holds kbtool.toml or .obsidian/ (else the current folder), so a
    run in a subfolder checks the whole vault. FILE arguments (as pre-commit
    passes them) report on those notes only, their links resolved against
    their whole vault.

    Prints one finding a line as PATH:LINE:COLUMN: CODE SEVERITY: message, the
    path as typed from the current folder, then a summary. Exit status: 0 when
    no error is found, 1 when one is, 2 on a usage, configuration or I/O
    problem. 'kbtool rules' lists every code; 'kbtool rules CODE' explains one.
    Colour follows the terminal, NO_COLOR and FORCE_COLOR.

    \b
    Examples:
      kbtool check
      kbtool check vault --select KB2 --format github
      kbtool check docs/Note.md docs/Other.md
      kbtool check --output-format full
      kbtool check --statistics
      kbtool check vault --ignore KB301,KB107 --format json -o report.json
      kbtool check vault -v        # also: settings read from .obsidian/, folders left out
    """
    from kbtool.cli.terminal import use_colour
    from kbtool.lint.engine import SelectionError, check
    from kbtool.lint.formats import PathDisplay, ReportOptions, renderer
    from kbtool.lint.split import prepare_split
    from kbtool.lint.warm import cached_check
    from kbtool.vault.discover import TargetError, split_targets
    from kbtool.vault.load import load_files

    if statistics and fmt != "text":
        fail("--statistics goes with --format text")
    try:
        given, files = split_targets(paths)
    except TargetError as exc:
        fail(str(exc))
    start = files[0] if files else None

    def listing() -> VaultFiles:
        return list_vault(given, note_path=start, stat_notes=not no_cache)

    def run(listed: VaultFiles, reuse: bool) -> tuple[CheckResult, Vault | None]:
        """Check, reusing the last findings when `reuse` and nothing changed."""
        reading, checking = progress("Reading notes"), progress("Checking (rules)")
        try:
            if reuse:
                warm = cached_check(listed, **chosen, progress=reading, checking=checking)  # type: ignore[arg-type]
                return warm.result, warm.vault
            prepare = prepare_split(listed.config)  # while the parse worker ends
            vault = load_files(listed, progress=reading, cache=not no_cache, meanwhile=prepare)
            return check(vault, **chosen, progress=checking), vault  # type: ignore[arg-type]
        except SelectionError as exc:
            fail(str(exc))

    listed = listing()
    chosen = {
        "select": _codes(select) or None,
        "ignore": _codes(ignore),
        "today": today,
        "only": _only(listed, files) if files else None,
    }
    result, loaded = run(listed, reuse=not no_cache and not fix)
    if fix and loaded is not None:
        from kbtool.lint.fix import apply_fixes  # the scanner: only when fixing

        fixes = apply_fixes(loaded, result.diagnostics)
        shown = PathDisplay(loaded.root).shown  # the folders resolved once, not a finding
        for diag, why in fixes.failed:
            where = shown(diag.path)
            click.echo(f"{where}:{diag.line}:{diag.column}: not fixed: {why}", err=True)
        if fixes.fixed:
            click.echo(f"Fixed {len(fixes.fixed)} finding(s) in {fixes.notes} note(s).", err=True)
            listed = listing()
            result, loaded = run(listed, reuse=False)
    colour = fmt == "text" and output is None and use_colour(sys.stdout)
    options = ReportOptions(
        listed.root,
        colour=colour,
        output_format=output_format,  # type: ignore[arg-type]
        statistics=statistics,
    )
    write_output(renderer(fmt)(result, options), output, colour=colour)
    failed = result.count("error") > 0 or (error_on_warning and result.count("warning") > 0)
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_OK)
