"""The `kbtool` command line: a thin layer of argument parsing over the library.

Commands are found by name (one module per command in `kbtool.cli`) and
imported only when run or listed, and each command module imports the
library inside its function: `kbtool --version` imports no command at all,
and `--help` or `rules` import neither networkx nor pydantic.
"""

from __future__ import annotations

import gc
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from typing import Any

import click

from kbtool.base.version import __version__

#: modules of kbtool.cli that hold shared helpers, not a command
_NOT_COMMANDS = frozenset({"common", "terminal"})


class _LazyGroup(click.Group):
    """A group whose subcommands are the modules of `kbtool.cli`, imported on demand."""

    def _module_names(self) -> list[str]:
        import kbtool.cli as package

        return sorted(
            info.name
            for info in pkgutil.iter_modules(package.__path__)
            if info.name not in _NOT_COMMANDS and not info.name.startswith("_")
        )

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._module_names()})

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run as click does, but a usage error is one line on stderr and exit 2, as the
        command-line contract promises for every problem (click prints three or four)."""
        standalone = standalone_mode
        # prog_name: also under click's CliRunner, which says "main"
        try:
            result = super().main(args, "kbtool", complete_var, False, **extra)
            code = result if isinstance(result, int) else 0  # ctx.exit(n) returns n here
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "kbtool"
            click.echo(f"kbtool: error: {exc.format_message()} (see '{where} --help')", err=True)
            code = exc.exit_code
        except click.ClickException as exc:
            click.echo(f"kbtool: error: {exc.format_message()}", err=True)
            code = exc.exit_code
        except click.Abort:
            click.echo("kbtool: aborted", err=True)
            code = 1
        if standalone:
            sys.exit(code)
        return result if code == 0 else code

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        known = super().get_command(ctx, cmd_name)
        if known is not None or cmd_name not in self._module_names():
            return known
        module = importlib.import_module(f"kbtool.cli.{cmd_name}")
        command = getattr(module, "command", None)
        return command if isinstance(command, click.Command) else None


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="kbtool")
def main() -> None:
    """Check, graph, index and schedule reviews of a Markdown knowledge vault.

    A vault is a folder of Markdown notes with YAML frontmatter and
    [[wiki-links]], as written in Obsidian. Every command finds the vault
    around the current folder (the nearest folder above it with kbtool.toml
    or .obsidian/), or takes the vault folder as its argument.

    \b
    Start with:
      kbtool check                    find broken links and bad metadata
      kbtool check VAULT              ... in the vault at VAULT
      kbtool rules                    list every check and its code
      kbtool stats                    orphans, hubs, components
      kbtool review due               notes due for review
      kbtool build                    the vault as a static website
      kbtool serve                    the same, live while you write
    """


#: Commands that run until stopped: they keep Python's cyclic garbage collector.
_LONG_RUNNING = frozenset({"serve"})


def run() -> None:
    """The console entry point (`kbtool`, `python -m kbtool`): one command, then exit.

    A one-shot command runs with the cyclic garbage collector off. kbtool's data
    (notes, links, findings) holds no reference cycles, so reference counting frees
    all of it, and each collection would only walk the notes still in use: a third
    of a run before the loader paused it, and still half a second of a 10,000-note
    check when each pause ended and one collection walked every note made meanwhile.
    The process ends soon after, and with it anything the collector would have found.
    """
    if _command() not in _LONG_RUNNING:
        gc.disable()
    main()


def _command() -> str | None:
    return next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)


def console() -> None:
    """The console script (`kbtool`, `python -m kbtool`): `run()`, then the process ends
    without taking apart what the command built. Freeing a loaded vault object by object
    takes 0.15 s at 10,000 notes and over a second at 100,000, for memory the system
    takes back at once. Every file kbtool writes is closed (and renamed into place)
    before its command returns, so only standard output and error are left to flush;
    when that fails (a closed pipe), Python ends the process as it always does."""
    try:
        run()
    except SystemExit as stop:
        if _command() in _LONG_RUNNING:
            raise
        status = _status(stop.code)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            raise stop from None
        os._exit(status)


def _status(code: object) -> int:
    """The exit status Python gives `sys.exit(code)`: a message is printed, status 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
