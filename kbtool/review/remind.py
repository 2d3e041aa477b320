"""The e-mail digest of due reviews: a plain-text and an HTML part, sent over SMTP.

Building the message and sending it are separate so that the message can be
checked without a server. Every value from a note is HTML-escaped in the
HTML part.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape

from kbtool.errors import KbtoolError
from kbtool.review.schedule import DueItem

_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")


class SendError(KbtoolError):
    """The digest could not be sent; the message is one line for the user."""


class SettingsError(KbtoolError):
    """An option of the digest is wrong; nothing was sent. The message names the option."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool = False
    ssl: bool = False
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0


def _is_host_name(host: str) -> bool:
    """A DNS name (IDNA allowed) whose labels are 1 to 63 letters, digits, '-' or '_'."""
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:  # an empty label (`a..b`), or one longer than 63
        return False
    return len(ascii_host) <= 253 and all(_LABEL.fullmatch(x) for x in ascii_host.split("."))


def parse_hostport(value: str) -> tuple[str, int]:
    """`host:port` or `[ipv6]:port` (the port is required: 25, 465, 587 differ in kind)."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{value!r} is not HOST:PORT (for example localhost:25)")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"{value!r}: [{host}] is not an IPv6 address") from None
    elif not _is_host_name(host):
        raise ValueError(f"{value!r}: {host!r} is not a host name or IP address")
    return host, int(port)


@dataclass(frozen=True)
class MailAddress:
    """An address checked to be one: `spec` is ASCII (an IDN domain in its xn-- form)."""

    spec: str
    domain: str

    @property
    def header(self) -> Address:
        return Address(addr_spec=self.spec)


def parse_address(value: str) -> MailAddress:
    """Check an e-mail address (syntax only: no DNS look-up at run time); raise ValueError
    with the reason. A line break can never pass, so no header can be injected."""
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(
            value, allow_smtputf8=False, check_deliverability=False, globally_deliverable=False
        )
    except EmailNotValidError as exc:
        raise ValueError(f"{value!r} is not an e-mail address: {exc}") from None
    spec = checked.ascii_email
    if spec is None:  # only with allow_smtputf8=True, which is not asked for
        raise ValueError(f"{value!r}: needs SMTPUTF8, which the digest does not use")
    return MailAddress(spec, checked.ascii_domain)


def _count(items: list[DueItem]) -> str:
    n = len(items)
    return f"{n} note{'s' if n != 1 else ''} due for review"


def subject_for(items: list[DueItem]) -> str:
    """`kbtool: 3 notes due for review`."""
    return f"kbtool: {_count(items)}"


def _text_body(items: list[DueItem], today: dt.date, vault_name: str) -> str:
    lines = [f"{_count(items)} in {vault_name} on {today.isoformat()}:", ""]
    for item in items:
        lines.append(f"- {item.title} ({item.status()}, due {item.due.isoformat()})")
        lines.append(f"  {item.path}: {item.reason()}")
    lines += ["", "Record a review with: kbtool review done NOTE"]
    return "\n".join(lines) + "\n"


def _html_body(items: list[DueItem], today: dt.date, vault_name: str) -> str:
    rows = "\n".join(
        f"<tr><td>{escape(item.title)}</td><td><code>{escape(item.path)}</code></td>"
        f"<td>{item.due.isoformat()}</td><td>{escape(item.status())}</td>"
        f"<td>{escape(item.reason())}</td></tr>"
        for item in items
    )
    heading = f"{_count(items)} in {escape(vault_name)} on {today.isoformat()}"
    return (
        "<!DOCTYPE html>\n<html><body>\n"
        f"<p>{heading}:</p>\n"
        '<table border="1" cellpadding="4" cellspacing="0">\n'
        "<tr><th>Note</th><th>Path</th><th>Due</th><th>Status</th><th>Why</th></tr>\n"
        f"{rows}\n</table>\n"
        "<p>Record a review with: <code>kbtool review done NOTE</code></p>\n"
        "</body></html>\n"
    )


def build_digest(
    items: list[DueItem],
    today: dt.date,
    *,
    vault_name: str,
    sender: MailAddress,
    to: list[MailAddress],
) -> EmailMessage:
    """The digest message (multipart/alternative: text, then HTML).

    It says it was sent by a program (`Auto-Submitted`, RFC 3834), so that
    vacation responders do not answer it, and its Message-ID is on the
    sender's domain, as RFC 5322 asks, so that spam filters do not mark it.
    """
    msg = EmailMessage()
    msg["Subject"] = subject_for(items)
    msg["From"] = sender.header
    msg["To"] = tuple(address.header for address in to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid("kbtool", domain=sender.domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(_text_body(items, today, vault_name))
    msg.add_alternative(_html_body(items, today, vault_name), subtype="html")
    return msg


def send(msg: EmailMessage, settings: SmtpSettings) -> None:
    """Send `msg` to the recipients in its To header; any failure is a `SendError`."""
    where = f"{settings.host}:{settings.port}"
    try:
        if settings.ssl:
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=settings.timeout,
                context=ssl.create_default_context(),
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.user is not None:
                server.login(settings.user, settings.password or "")
            server.send_message(msg)
    except smtplib.SMTPException as exc:
        raise SendError(f"SMTP {where}: {' '.join(str(exc).split())}") from exc
    except (OSError, ssl.SSLError) as exc:
        raise SendError(f"SMTP {where}: {exc.strerror or exc}") from exc
    except UnicodeError as exc:  # a host name the resolver's IDNA codec refuses
        raise SendError(f"SMTP {where}: not a host name ({exc})") from exc


@dataclass(frozen=True)
class Delivery:
    """Who sends the digest to whom, and through which server: checked before any work."""

    smtp: SmtpSettings
    sender: MailAddress
    recipients: list[MailAddress]


def delivery(
    smtp: str,
    to: Sequence[str],
    sender: str | None = None,
    *,
    starttls: bool = False,
    use_ssl: bool = False,
    user: str | None = None,
    password_env: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Delivery:
    """Check every address and the server, as `review remind` takes them; `SettingsError`
    names the first wrong option. A password is only ever read from `environ[password_env]`."""
    try:
        host, port = parse_hostport(smtp)
    except ValueError as exc:
        raise SettingsError(f"--smtp: {exc}") from exc
    try:
        recipients = [parse_address(value) for value in to]
    except ValueError as exc:
        raise SettingsError(f"--to: {exc}") from exc
    if not recipients:
        raise SettingsError("--to: at least one recipient is needed")
    try:
        from_address = parse_address(sender) if sender is not None else recipients[0]
    except ValueError as exc:
        raise SettingsError(f"--from: {exc}") from exc
    password = None
    if user is not None:
        if password_env is None:
            raise SettingsError("--user needs --password-env VAR (a password is never an argument)")
        password = (os.environ if environ is None else environ).get(password_env)
        if password is None:
            raise SettingsError(
                f"--password-env: the environment variable {password_env} is not set"
            )
    if starttls and use_ssl:
        raise SettingsError("--starttls and --ssl exclude each other")
    settings = SmtpSettings(host, port, starttls, use_ssl, user, password)
    return Delivery(settings, from_address, recipients)
