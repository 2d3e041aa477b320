"""The `kbtool` command line: a thin layer of argument parsing over the library."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from kbtool import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kbtool")
def main() -> None:
    """Check, graph, index and schedule reviews of a Markdown knowledge vault.

    A vault is a folder of Markdown notes with YAML frontmatter and
    [[wiki-links]], as written in Obsidian. Every command takes the vault
    folder as its argument (default: the current folder).

    \b
    Start with:
      kbtool check VAULT              find broken links and bad metadata
      kbtool rules                    list every check and its code
      kbtool stats VAULT              orphans, hubs, components
      kbtool review due VAULT         notes due for review
      kbtool build VAULT              the vault as a static website
      kbtool serve VAULT              the same, live while you write
    """


def _register_commands() -> None:
    """Add every module of `kbtool.commands` that defines `command`."""
    import kbtool.commands as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            main.add_command(command)


_register_commands()


def run() -> None:  # pragma: no cover - console entry used by python -m
    sys.exit(main())
