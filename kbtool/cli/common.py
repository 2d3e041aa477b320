"""What every command shares: the vault argument, `--today`, and turning errors into exit 2.

It imports the library only inside its functions, so that listing commands stays light.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeGuard, TypeVar

import click

from kbtool.cli.progress import progress, set_quiet

if TYPE_CHECKING:
    from kbtool.vault.load import Vault, VaultFiles

T = TypeVar("T")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 2: a usage, configuration or I/O problem."""
    click.echo(f"kbtool: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def write_output(text: str, output: Path | None, *, colour: bool = False) -> None:
    """Standard output, or FILE replaced atomically; an unwritable FILE exits 2.
    `colour` keeps click's styles even when standard output is not a terminal
    (FORCE_COLOR); without it they are stripped."""
    if output is None:
        click.echo(text, nl=False, color=colour)
        return
    from kbtool.write.atomic import write_text_atomic

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
    """Optional `VAULT` argument; without it the vault is found from the current folder.
    Comes with `-v/--verbose`, which names the vault chosen."""
    return verbose_option(
        click.argument(
            "vault",
            required=False,
            default=None,
            metavar="[VAULT]",
            type=click.Path(path_type=Path, file_okay=True, dir_okay=True),
        )(func)
    )


_VERBOSE = "kbtool.verbose"


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_VERBOSE] = True


def verbose_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`-v/--verbose`: say on stderr which vault was chosen and why (and more, per command);
    `-q/--quiet`: no progress bar."""
    quiet = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=set_quiet,
        help="No progress bar on stderr.",
    )
    return quiet(
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            expose_value=False,
            callback=_set_verbose,
            help="Say on stderr which vault was used and why.",
        )(func)
    )


def is_verbose() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_VERBOSE))


def note(message: str) -> None:
    """A line on stderr in verbose mode."""
    if is_verbose():
        click.echo(f"kbtool: {message}", err=True)


def format_option(
    choices: Sequence[str], help_text: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--format CHOICE` (the command's `fmt` argument); the first choice is the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help_text,
    )


def output_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`-o FILE`: write there (atomically) instead of standard output."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write to FILE (atomically) instead of standard output.",
    )(func)


def vault_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--vault DIR` for commands whose arguments are notes, not the vault (and `-v`)."""
    return verbose_option(
        click.option(
            "--vault",
            "vault_path",
            type=click.Path(path_type=Path, file_okay=False),
            default=None,
            help="The vault folder (default: found from the note, else the current folder).",
        )(func)
    )


def existing_file(arg: str) -> Path | None:
    """NOTE as a file path from the current folder, when it is one (else it is a name)."""
    from kbtool.base.fileread import names_file

    path = Path(arg)
    return path if names_file(path) else None


def list_vault(
    path: Path | None, *, note_path: Path | None = None, stat_notes: bool = True
) -> VaultFiles:
    """Find the vault (`kbtool.vault.discover`: `path` when given, else from `note_path` or
    the current folder), read its configuration and list its files, exiting 2 with one
    line on a missing vault or bad kbtool.toml. Verbose output names the root chosen and
    why, then what the configuration read from `.obsidian/` or left out (the templates
    folder)."""
    from kbtool.config import ConfigError
    from kbtool.vault.discover import discover_vault
    from kbtool.vault.load import VaultError, scan_vault

    root = discover_vault(path, note=note_path)
    note(f"vault: {root}")
    try:
        files = scan_vault(root.path, stat_notes=stat_notes)
    except (VaultError, ConfigError) as exc:
        fail(str(exc))
    for notice in files.config.notices:  # what .obsidian/ said, what was left out
        note(notice)
    return files


def open_vault(
    path: Path | None,
    *,
    note_path: Path | None = None,
    show_progress: bool = True,
    cache: bool = True,
) -> Vault:
    """Find, list and load the vault (see `list_vault`).

    On a terminal, a progress bar appears when loading takes over a second (on
    stderr, so that piped output stays clean; none with `--quiet`). Commands use
    the parse cache unless told not to (`check --no-cache`).
    """
    from kbtool.vault.load import load_files

    files = list_vault(path, note_path=note_path, stat_notes=cache)
    reading = progress("Reading notes") if show_progress else None
    return load_files(files, progress=reading, cache=cache)


def no_cache_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--no-cache` (the command's `no_cache` argument): parse every note afresh and
    neither read nor write the cache."""
    return click.option(
        "--no-cache",
        is_flag=True,
        help="Read and parse every note afresh; neither reuse nor store the last result.",
    )(func)


def is_text(value: object) -> TypeGuard[str]:
    """Whether a stored result is a command's rendered output."""
    return isinstance(value, str)


def reused_or_computed(
    files: VaultFiles,
    slot: str,
    options: Sequence[object],
    compute: Callable[[Vault], T],
    accept: Callable[[object], TypeGuard[T]],
    *,
    cache: bool,
    hashed: Sequence[str] = (),
) -> T:
    """The command's result from the last run when nothing it depends on changed (see
    `kbtool.vault.reuse`; `-v` says so), else `compute` of the vault loaded with a
    progress bar."""
    from kbtool.vault.reuse import cached_result

    reading = progress("Reading notes")
    found = cached_result(
        files, slot, options, compute, accept, cache=cache, hashed=hashed, progress=reading
    )
    if found.reused:
        note("nothing changed since the last run: its result is reused, no note read")
    return found.value


def written_in_pieces(
    files: VaultFiles,
    slot: str,
    options: Sequence[object],
    render: Callable[[Vault], Iterable[str]],
    output: Path | None,
    *,
    cache: bool,
    hashed: Sequence[str] = (),
) -> None:
    """A text result (`render` gives it in pieces) written to `output` (atomically) or
    standard output piece by piece, whether it is made afresh or the stored one is
    replayed (`kbtool.vault.reuse.streamed_text`; `-v` says which), so that a large
    export or index is never held whole (issue 11 §5: memory)."""
    from kbtool.vault.pieces import StoredTextLost
    from kbtool.vault.reuse import streamed_text

    reading = progress("Reading notes")
    try:
        with streamed_text(
            files, slot, options, render, cache=cache, hashed=hashed, progress=reading
        ) as found:
            if found.reused:
                note("nothing changed since the last run: its result is reused, no note read")
            write_pieces(found.value, output)
    except StoredTextLost as exc:
        fail(f"{exc}; run the command again")


class _MakingFailed(Exception):
    """An OSError while the text was being made, not written (told apart from the write's)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _made(pieces: Iterable[str]) -> Iterator[str]:
    try:
        yield from pieces
    except OSError as exc:
        raise _MakingFailed(exc) from exc


def write_pieces(pieces: Iterable[str], output: Path | None) -> None:
    """`write_output` of the text `pieces` join to, one piece at a time: standard
    output, or FILE replaced atomically (a temporary file beside it, renamed into place
    once every piece is written; an error on the way leaves the old file)."""
    if output is None:
        for piece in pieces:
            click.echo(piece, nl=False)
        return
    from kbtool.write.atomic import write_text_pieces_atomic

    try:
        write_text_pieces_atomic(output, _made(pieces))
    except _MakingFailed as exc:
        raise exc.error from None
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")
