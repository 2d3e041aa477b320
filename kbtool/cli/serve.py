"""`kbtool serve`: build the site, serve it on 127.0.0.1, rebuild and reload on change."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import click

from kbtool.cli.common import fail, open_vault, vault_argument


@click.command("serve")
@vault_argument
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0: a free one, printed).",
)
def command(vault: Path, port: int) -> None:
    """Browse the vault as a website while you write: rebuilt on every change.

    Builds the site into a temporary folder, serves it on 127.0.0.1 only, and
    watches the vault: after each change the site is rebuilt and open pages
    reload. A failed build keeps the last good site and shows why on the pages.
    Stop with Ctrl-C (the temporary folder is removed).

    \b
    Examples:
      kbtool serve vault
      kbtool serve vault --port 8000
    """
    from kbtool.site.server import LiveSite

    loaded = open_vault(vault)
    work = Path(tempfile.mkdtemp(prefix="kbtool-serve-"))
    site = None
    try:  # Ctrl-C at any moment (even while the first build runs) stops it cleanly
        try:
            site = LiveSite(loaded.root, work / "site", port)
        except OSError as exc:
            fail(f"127.0.0.1:{port}: cannot listen ({exc.strerror or exc})")
        if site.rebuild() is None:
            fail(site.problem)
        site.start()
        site.watch(lambda r: click.echo("Rebuilt." if r is not None else site.problem, err=True))
        click.echo(f"Serving {loaded.root} at http://127.0.0.1:{site.port}/ (Ctrl-C to stop)")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        if site is not None:
            site.stop()
        shutil.rmtree(work, ignore_errors=True)
