"""`kbtool build`: the static HTML site of the vault (the work is in `kbtool.site`)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from kbtool.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    list_vault,
    today_option,
    vault_argument,
)
from kbtool.cli.progress import progress


def default_output(vault_root: Path) -> Path:
    """`VAULT-site` beside the vault: outside it (so neither Obsidian nor kbtool reads the
    pages as notes or attachments) and named after it (two vaults never share one)."""
    return vault_root.parent / f"{vault_root.name}-site"


@click.command("build")
@vault_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: VAULT-site beside the vault). Must be new, empty, or an "
    "earlier build's; never inside the vault.",
)
@click.option(
    "--base-url",
    default="/",
    show_default=True,
    metavar="URL",
    help="Where the site is served: /repo/ for a GitHub project page.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when a link finding is an error.")
@today_option
def command(vault: Path, output: Path | None, base_url: str, strict: bool, today: dt.date) -> None:
    """Build the vault as a static HTML site: a page per note, tag and folder pages, search.

    Links resolve exactly as in 'kbtool check' (and Obsidian); a link to a
    missing note is plain text on the page, and every link finding is printed
    on stderr as PATH:LINE:COLUMN: CODE message. Only attachments that notes
    link or embed are copied. Raw HTML in notes is sanitised. A later build into
    the same folder is incremental: it renders only the pages whose inputs
    changed (a note, the notes that embed or link it, its backlinks, listings),
    and removes only files the earlier build wrote.

    \b
    Examples:
      kbtool build vault                      # writes vault-site/
      kbtool build vault -o public --strict   # CI: fail on broken links
      kbtool build vault -o public --base-url /my-notes/
      python -m http.server -d vault-site     # then open http://127.0.0.1:8000/
    """
    from kbtool.config import ConfigError
    from kbtool.lint.formats import PathDisplay
    from kbtool.site.builder import build_site, load_for_build
    from kbtool.site.output import OutputError

    files = list_vault(vault)  # kept: the link findings' warm check starts from it
    loaded = load_for_build(files, progress=progress("Reading notes"))
    target = output if output is not None else default_output(loaded.root)
    try:
        result = build_site(loaded, target, base_url=base_url, today=today, files=files)
    except (OutputError, ConfigError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{exc.filename or target}: cannot write ({exc.strerror or exc})")
    shown = PathDisplay(loaded.root).shown  # the folders resolved once, not a finding
    for d in result.findings:  # as check prints them: paths as typed from here
        where = shown(d.path)
        click.echo(f"{where}:{d.line}:{d.column}: {d.code} {d.severity}: {d.message}", err=True)
    for problem in result.failed:
        click.echo(f"kbtool: not rendered: {problem}", err=True)
    click.echo(
        f"Built {_count(result.pages, 'page')} ({len(result.rendered)} rendered, "
        f"{result.reused} unchanged) and {_count(result.attachments, 'attachment')}"
        f" into {target} ({result.errors} link errors).",
        err=True,
    )
    failed = bool(result.failed) or (strict and result.errors > 0)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
