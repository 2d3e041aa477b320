"""What every command shares: the vault argument, `--today`, and turning errors into exit 2."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from kbtool.atomic import write_text_atomic
from kbtool.config import ConfigError
from kbtool.vault import Vault, VaultError, load_vault

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 2: a usage, configuration or I/O problem."""
    click.echo(f"kbtool: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def write_output(text: str, output: Path | None) -> None:
    """Standard output, or FILE replaced atomically; an unwritable FILE exits 2."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_text_atomic(output, text)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")


def _parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD") from None


def today_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--today YYYY-MM-DD`: the date the command acts as of (default: the local date)."""
    return click.option(
        "--today",
        callback=_parse_today,
        metavar="YYYY-MM-DD",
        help="Act as if today were this date (default: the local date).",
    )(func)


def vault_argument(func: Callable[..., Any]) -> Callable[..., Any]:
    """Optional `VAULT` argument, the current folder by default."""
    return click.argument(
        "vault",
        required=False,
        default=".",
        metavar="[VAULT]",
        type=click.Path(path_type=Path, file_okay=True, dir_okay=True),
    )(func)


def output_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`-o FILE`: write there (atomically) instead of standard output."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write to FILE (atomically) instead of standard output.",
    )(func)


def vault_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--vault DIR` for commands whose arguments are notes, not the vault."""
    return click.option(
        "--vault",
        "vault_path",
        type=click.Path(path_type=Path, file_okay=False),
        default=".",
        show_default=True,
        help="The vault folder.",
    )(func)


def open_vault(path: Path, *, show_progress: bool = True, cache: bool = True) -> Vault:
    """Load the vault, exiting 2 with one line on a missing vault or bad kbtool.toml.

    On a terminal, a progress bar appears for large vaults (on stderr, so
    that piped output stays clean). Commands use the parse cache unless told not
    to (`check --no-cache`).
    """
    progress = None
    if show_progress and sys.stderr.isatty():
        progress = _progress_bar()
    try:
        return load_vault(path, progress=progress, cache=cache)
    except (VaultError, ConfigError) as exc:
        fail(str(exc))
    finally:
        if progress is not None:
            progress(-1, -1)


def print_notices(vault: Vault) -> None:
    """Verbose output: what the configuration read or ignored (`.obsidian/` settings,
    the templates folder left out), one line each on stderr."""
    for notice in vault.config.notices:
        click.echo(f"kbtool: {notice}", err=True)


def _progress_bar() -> Callable[[int, int], None]:
    """A rich progress bar shown only once a vault has more than 2,000 notes."""
    from rich.progress import Progress

    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if done < 0:
            if "bar" in state:
                state["bar"].stop()
            return
        if total < 2000:
            return
        if "bar" not in state:
            bar = Progress(transient=True, console=_stderr_console())
            state["bar"], state["task"] = bar, bar.add_task("Parsing notes", total=total)
            bar.start()
        if done % 200 == 0 or done == total:
            state["bar"].update(state["task"], completed=done)

    return update


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)
