"""`kbtool review`: due reviews, the agenda, recording reviews, calendar feed, e-mail digest."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtool.cli.common import (
    EXIT_FINDINGS,
    existing_file,
    fail,
    format_option,
    is_verbose,
    open_vault,
    today_option,
    vault_argument,
    vault_option,
)
from kbtool.review.adaptive import RATINGS
from kbtool.write.atomic import write_atomic

if TYPE_CHECKING:
    from kbtool.review.schedule import ReviewPolicy
    from kbtool.vault.load import Vault

#: Bounds of --within and --weeks: a century of days, a decade of weeks (one line each).
MAX_WITHIN_DAYS = 36_500
MAX_AGENDA_WEEKS = 520


def _policy(vault: Vault) -> ReviewPolicy:
    from kbtool.config import ConfigError
    from kbtool.review.schedule import ReviewPolicy

    try:
        return ReviewPolicy.from_config(vault.config)
    except ConfigError as exc:
        fail(str(exc))


def _within_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--within",
        type=click.IntRange(0, MAX_WITHIN_DAYS),
        default=0,
        show_default=True,
        metavar="DAYS",
        help=f"Also list notes that fall due in the next DAYS days (0 to {MAX_WITHIN_DAYS}).",
    )(func)


@click.group("review")
def command() -> None:
    """Review schedule: what is due, record reviews, calendar feed and e-mail digest.

    A note is due its review_interval after last_reviewed, or after created
    when it was never reviewed. An empty interval takes review.intervals.<type>,
    then review.default_interval from kbtool.toml (built in: 90d).
    """


@command.command("due")
@vault_argument
@_within_option
@format_option(("text", "json", "md"), "json for tools, md for a checklist to paste in a note.")
@today_option
def due_command(vault: Path | None, within: int, fmt: str, today: dt.date) -> None:
    """List notes due for review, oldest first. Prints nothing when none is due.

    \b
    Examples:
      kbtool review due vault
      kbtool review due vault --within 7 --format json
    """
    from kbtool.review.render import render_due
    from kbtool.review.schedule import due_reviews

    loaded = open_vault(vault)
    _policy(loaded)
    click.echo(render_due(due_reviews(loaded, today, within), today, fmt), nl=False)  # type: ignore[arg-type]


@command.command("agenda")
@vault_argument
@click.option(
    "--weeks",
    type=click.IntRange(1, MAX_AGENDA_WEEKS),
    default=4,
    show_default=True,
    help=f"How many ISO weeks to show, from the current one (1 to {MAX_AGENDA_WEEKS}).",
)
@format_option(("text", "json"))
@today_option
def agenda_command(vault: Path | None, weeks: int, fmt: str, today: dt.date) -> None:
    """Coming reviews by ISO week with a count per week, overdue ones first.

    \b
    Examples:
      kbtool review agenda vault
      kbtool review agenda vault --weeks 12
    """
    from kbtool.review.render import render_agenda
    from kbtool.review.schedule import agenda

    loaded = open_vault(vault)
    _policy(loaded)
    click.echo(render_agenda(agenda(loaded, today, weeks), fmt), nl=False)  # type: ignore[arg-type]


@command.command("done")
@click.argument("notes", nargs=-1, required=True, metavar="NOTE...")
@click.option(
    "--rating",
    type=click.Choice(list(RATINGS)),
    help="How well you knew the note (fsrs mode sets the next interval from it).",
)
@vault_option
@today_option
def done_command(
    notes: tuple[str, ...], rating: str | None, vault_path: Path | None, today: dt.date
) -> None:
    """Record a review of each NOTE: set last_reviewed to today.

    NOTE is a path (from the current folder or the vault) or a note name.
    Only the review fields change; every other byte of the note stays. In
    fsrs mode (review.mode = "fsrs" in kbtool.toml) review_interval is set
    from --rating (default good). Exit 1 when some note could not be done.

    \b
    Examples:
      kbtool review done "Networking/Kube-proxy.md"
      kbtool review done Kube-proxy --rating easy --vault vault
    """
    from kbtool.review.done import record_reviews
    from kbtool.review.log import ReviewLogError

    first_file = next((p for p in map(existing_file, notes) if p is not None), None)
    loaded = open_vault(vault_path, note_path=first_file)
    policy = _policy(loaded)
    try:
        run = record_reviews(loaded, notes, today, rating, policy)
    except ReviewLogError as exc:
        fail(str(exc))
    for warning in run.warnings:
        click.echo(f"kbtool: warning: {warning}", err=True)
    for message in run.errors:
        click.echo(f"kbtool: error: {message}", err=True)
    for pending in run.done:
        click.echo(
            f"{pending.path}: reviewed {today.isoformat()}; next review "
            f"{pending.next_due.isoformat()} ({pending.interval})"
        )
    if run.errors:
        sys.exit(EXIT_FINDINGS)


@command.command("ics")
@vault_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="The .ics file to write ('-' for standard output).",
)
@click.option(
    "--component",
    type=click.Choice(["event", "todo"]),
    default="event",
    show_default=True,
    help="All-day events, or to-dos with a due date.",
)
@today_option
def ics_command(vault: Path | None, output: Path, component: str, today: dt.date) -> None:
    """Write a calendar (RFC 5545) with one entry per scheduled note, at its due date.

    UIDs are stable per vault name (name in kbtool.toml, else the folder's
    name) and note path, so a calendar app that subscribes to the file moves
    an entry when its review is rescheduled. With nothing scheduled the file
    is still a valid, empty calendar.

    \b
    Examples:
      kbtool review ics vault -o ~/public_html/reviews.ics
      kbtool review ics vault -o reviews.ics --component todo
    """
    from kbtool.review.ics import build_calendar

    loaded = open_vault(vault)
    _policy(loaded)
    data = build_calendar(loaded, today, component)  # type: ignore[arg-type]
    if str(output) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)  # bytes as built: CRLF line ends, UTF-8
        sys.stdout.buffer.flush()
        return
    try:
        write_atomic(output, data)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror})")


@command.command("remind")
@vault_argument
@click.option("--smtp", "smtp", required=True, metavar="HOST:PORT", help="The SMTP server.")
@click.option(
    "--to",
    "to",
    required=True,
    multiple=True,
    metavar="ADDR",
    help="Recipient, a plain address such as me@example.org (repeat for several).",
)
@click.option(
    "--from",
    "sender",
    metavar="ADDR",
    help="Sender (default: the first --to). Its domain names the Message-ID.",
)
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS.")
@click.option("--ssl", "use_ssl", is_flag=True, help="Connect with TLS from the start (port 465).")
@click.option("--user", metavar="USER", help="Log in as USER (needs --password-env).")
@click.option(
    "--password-env", metavar="VAR", help="Environment variable holding the SMTP password."
)
@_within_option
@today_option
def remind_command(
    vault: Path | None,
    smtp: str,
    to: tuple[str, ...],
    sender: str | None,
    starttls: bool,
    use_ssl: bool,
    user: str | None,
    password_env: str | None,
    within: int,
    today: dt.date,
) -> None:
    """E-mail a digest of the notes due for review. Sends nothing when none is due.

    Every address and the SMTP host are checked first: a bad one is exit 2
    and nothing is sent. The digest says Auto-Submitted: auto-generated.

    \b
    Example (cron, every morning at 7):
      0 7 * * * cd /path/to/vault && kbtool review remind --smtp localhost:25 --to me@example.org
    """
    from kbtool.review.remind import SendError, SettingsError, build_digest, delivery, send
    from kbtool.review.schedule import due_reviews
    from kbtool.review.vaultname import vault_name

    try:
        route = delivery(
            smtp,
            to,
            sender,
            starttls=starttls,
            use_ssl=use_ssl,
            user=user,
            password_env=password_env,
        )
    except SettingsError as exc:
        fail(str(exc))
    loaded = open_vault(vault, show_progress=False)
    _policy(loaded)
    items = due_reviews(loaded, today, within)
    if not items:
        if is_verbose():
            click.echo("kbtool: no note is due for review; nothing sent", err=True)
        return
    msg = build_digest(
        items, today, vault_name=vault_name(loaded), sender=route.sender, to=route.recipients
    )
    try:
        send(msg, route.smtp)
    except SendError as exc:
        fail(str(exc))
    if is_verbose():
        click.echo(f"kbtool: sent '{msg['Subject']}' to {', '.join(to)}", err=True)
