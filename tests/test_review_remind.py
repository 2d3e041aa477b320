"""`kbtool review remind`: end to end against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope
from click.testing import CliRunner

from kbtool.cli import main

VAULT = Path(__file__).parent / "fixtures" / "review"
DUE = ["Bad interval.md", "Never reviewed.md", "Reviewed.md", "Titled.md", "Sub/Same day.md"]


class Collector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = data.login == b"me" and data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)  # handled=False: the server replies 535


@pytest.fixture
def smtp() -> Iterator[tuple[Collector, int]]:
    handler = Collector()
    port = _free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _remind(port: int, *args: str, today: str = "2026-11-26", env: dict | None = None) -> Any:
    return CliRunner(env=env).invoke(
        main,
        [
            "review",
            "remind",
            str(VAULT),
            "--smtp",
            f"127.0.0.1:{port}",
            "--to",
            "me@example.org",
            "--today",
            today,
            *args,
        ],
    )


def _parts(envelope: Envelope) -> tuple[EmailMessage, str, str]:
    msg = message_from_bytes(envelope.content, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    return msg, text.get_content(), html.get_content()


def test_digest_is_sent_with_both_parts(smtp: tuple[Collector, int]) -> None:
    handler, port = smtp
    result = _remind(port, "--from", "kbtool@example.org")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert len(handler.envelopes) == 1
    envelope = handler.envelopes[0]
    assert envelope.rcpt_tos == ["me@example.org"]
    assert envelope.mail_from == "kbtool@example.org"
    msg, text, html = _parts(envelope)
    assert msg["Subject"] == "kbtool: 5 notes due for review"
    for path in DUE:
        assert path in text and path in html
    assert "Future.md" not in text and "Months.md" not in text
    assert "Reviewed.md: last reviewed 2026-10-01 + interval 30d" in text
    assert "26 days overdue" in text and "26 days overdue" in html
    assert 'A <b>bold</b> & "quoted" title' in text
    assert "A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title" in html
    assert "<b>bold</b>" not in html


def test_within_and_several_recipients_and_login(smtp: tuple[Collector, int]) -> None:
    handler, port = smtp
    result = _remind(
        port,
        "--within",
        "4",
        "--to",
        "you@example.org",
        "--user",
        "me",
        "--password-env",
        "KB_SMTP_PASSWORD",
        env={"KB_SMTP_PASSWORD": "s3cret"},
    )
    assert result.exit_code == 0, result.stderr
    envelope = handler.envelopes[0]
    assert envelope.rcpt_tos == ["me@example.org", "you@example.org"]
    assert envelope.mail_from == "me@example.org"  # default sender: the first --to
    msg, text, _ = _parts(envelope)
    assert msg["Subject"] == "kbtool: 7 notes due for review"
    assert "Months.md" in text and "due in 4 days" in text


def test_nothing_due_sends_nothing(smtp: tuple[Collector, int]) -> None:
    handler, port = smtp
    result = _remind(port, today="2026-01-02")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    result = _remind(port, "-v", today="2026-01-02")
    assert result.exit_code == 0 and "nothing sent" in result.stderr
    assert handler.envelopes == []


def test_smtp_failures_are_exit_2_in_one_line(smtp: tuple[Collector, int]) -> None:
    handler, port = smtp
    result = _remind(
        port,
        "--user",
        "me",
        "--password-env",
        "KB_SMTP_PASSWORD",
        env={"KB_SMTP_PASSWORD": "wrong"},
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kbtool: error: SMTP 127.0.0.1:{port}:")
    assert result.stderr.count("\n") == 1
    closed = _free_port()  # nothing listens there
    result = _remind(closed)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert handler.envelopes == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--smtp", "localhost"], "not HOST:PORT"),
        (["--smtp", "localhost:25", "--user", "me"], "--password-env"),
        (
            ["--smtp", "localhost:25", "--user", "me", "--password-env", "KB_UNSET_VAR"],
            "KB_UNSET_VAR is not set",
        ),
    ],
)
def test_usage_problems_are_exit_2(args: list[str], message: str) -> None:
    result = CliRunner(env={"KB_UNSET_VAR": None}).invoke(
        main,
        ["review", "remind", str(VAULT), "--to", "me@example.org", *args, "--today", "2026-11-26"],
    )
    assert result.exit_code == 2 and message in result.stderr


def test_digest_says_it_is_automatic_and_its_id_is_on_the_senders_domain(
    smtp: tuple[Collector, int],
) -> None:
    handler, port = smtp
    result = _remind(port, "--from", "kbtool@Digest.Example.org")
    assert result.exit_code == 0, result.stderr
    msg, _, _ = _parts(handler.envelopes[0])
    assert msg["Auto-Submitted"] == "auto-generated"
    assert re.fullmatch(r"<[^@<>]+\.kbtool@digest\.example\.org>", msg["Message-ID"].strip())
    assert msg["From"] == "kbtool@digest.example.org"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "not an address"], "--to: 'not an address' is not an e-mail address:"),
        (["--to", ""], "--to: '' is not an e-mail address:"),
        (["--to", "me@example.org\nBcc: x@example.org"], "'me@example.org\\nBcc: x@example.org'"),
        (["--to", "me@example.org\r"], "--to: 'me@example.org\\r' is not an e-mail address"),
        (["--from", "me@@example.org"], "--from: 'me@@example.org' is not an e-mail address:"),
    ],
)
def test_bad_addresses_are_refused_before_anything_is_sent(
    smtp: tuple[Collector, int], args: list[str], message: str
) -> None:
    handler, port = smtp
    result = _remind(port, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("kbtool: error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert handler.envelopes == []


@pytest.mark.parametrize(
    ("smtp_arg", "message"),
    [
        ("a..b:25", "--smtp: 'a..b:25': 'a..b' is not a host name or IP address"),
        ("-x-:25", "'-x-' is not a host name"),
        ("[nope]:25", "[nope] is not an IPv6 address"),
        ("host\n:25", "--smtp: 'host\\n:25'"),
    ],
)
def test_bad_smtp_hosts_are_usage_errors(smtp_arg: str, message: str) -> None:
    result = CliRunner().invoke(
        main,
        ["review", "remind", str(VAULT), "--smtp", smtp_arg, "--to", "me@example.org"],
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
