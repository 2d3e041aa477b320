"""`kbtool serve`'s server: loopback only, nothing outside its folder, robust, rebuilt live."""

from __future__ import annotations

import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kbtool.site.server import LiveSite, safe_file
from tests.site_vault import write_vault


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveSite]:
    site = LiveSite(write_vault(tmp_path / "vault"), tmp_path / "site")
    assert site.rebuild() is not None
    site.start()
    yield site
    site.stop()


def _raw(site: LiveSite, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", site.port), timeout=10) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _get(site: LiveSite, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{site.port}{path}", timeout=20) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_answers_on_loopback_only(live: LiveSite) -> None:
    assert live.server.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize(
    "path",
    [
        "/../vault/Target%20Note.md",
        "/%2e%2e/vault/Target%20Note.md",
        "/%252e%252e/vault/Target%20Note.md",
        "/..%2fvault/Target%20Note.md",
        "/.kbtool-site.json",
        "/assets/..\\..\\vault",
        "/index.html%00.png",
    ],
)
def test_nothing_outside_the_output_folder(live: LiveSite, path: str) -> None:
    response = _raw(live, f"GET {path} HTTP/1.0\r\n\r\n".encode())
    assert response.startswith(b"HTTP/1.0 404 ")
    assert b"Beta under alpha" not in response


def test_a_symlink_in_the_folder_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "page.html").write_text("ok")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, root / "leak.txt")
    assert safe_file(root, "/page.html") == (root / "page.html").resolve()
    assert safe_file(root, "/leak.txt") is None


def test_every_file_is_served_under_the_pages_policy(live: LiveSite) -> None:
    """An SVG opened by itself is a document: the policy keeps its scripts from running."""
    for path in ("/pic.png", "/target-note.html", "/no-such-page.html"):
        response = _raw(live, f"GET {path} HTTP/1.0\r\n\r\n".encode())
        head = response.split(b"\r\n\r\n", 1)[0].decode()
        assert "\r\nContent-Security-Policy: default-src 'none'; script-src 'self';" in head


def test_keeps_answering_after_malformed_http(live: LiveSite) -> None:
    assert b"Error code: 400" in _raw(live, b"\x16\x03\x01\x00garbage\r\n\r\n")
    assert _raw(live, b"GET /" + b"a" * 70000 + b" HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 414")
    assert _get(live, "/target-note.html")[0] == 200


def test_a_thousand_concurrent_requests(live: LiveSite) -> None:
    with ThreadPoolExecutor(max_workers=64) as pool:
        statuses = list(pool.map(lambda _: _get(live, "/target-note.html")[0], range(1000)))
    assert statuses == [200] * 1000


def test_a_thousand_connections_open_at_once(live: LiveSite) -> None:
    """1,000 clients connect and say nothing yet (slow clients): another is still served;
    then each sends its request, and every one is answered."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2500 <= hard:  # both ends of each connection are in this process
        resource.setrlimit(resource.RLIMIT_NOFILE, (2500, hard))
    conns = [socket.create_connection(("127.0.0.1", live.port), timeout=60) for _ in range(1000)]
    try:
        assert _get(live, "/target-note.html")[0] == 200
        for conn in conns:
            conn.sendall(b"GET /target-note.html HTTP/1.0\r\n\r\n")
        answers = []
        for conn in conns:
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
            answers.append(b"".join(chunks))
    finally:
        for conn in conns:
            conn.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert [a.split(b"\r\n", 1)[0] for a in answers] == [b"HTTP/1.0 200 OK"] * 1000
    assert all(b"Beta under alpha." in a for a in answers)


def test_rebuild_shows_a_change_and_a_failed_build_keeps_the_last_good_site(
    live: LiveSite,
) -> None:
    note = live.vault_root / "Target Note.md"
    note.write_text(note.read_text().replace("Beta under alpha.", "Changed text."))
    result = live.rebuild()
    assert result is not None and live.generation == 2
    # incremental: the note, the note that embeds its section, the home page's recent list
    assert sorted(result.rendered) == ["folder/linker.html", "index.html", "target-note.html"]
    assert b"Changed text." in _get(live, "/target-note.html")[1]
    (live.vault_root / "kbtool.toml").write_text("this is = not [valid toml\n")
    assert live.rebuild() is None
    assert live.problem.startswith("build failed, showing the last good site: ")
    assert live.generation == 2
    assert b"Changed text." in _get(live, "/target-note.html")[1]


def test_a_note_that_does_not_parse_is_named_in_the_banner(live: LiveSite) -> None:
    note = live.vault_root / "Target Note.md"
    note.write_text(note.read_text().replace("title: Target Note", "title: [unclosed"))
    result = live.rebuild()
    assert result is not None and live.generation == 2  # the site is still built
    assert live.problem.split("; ")[:2] == [  # errors first: a warning never hides one
        "Folder/Linker.md:6: KB201 [[Missing Note]] matches no note",
        "Target Note.md:3: KB002 frontmatter is not valid YAML: did not find expected ',' or ']'",
    ]
    assert _get(live, "/target-note.html")[0] == 200


def test_the_serve_command_prints_its_address_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "vault")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    command = [sys.executable, "-m", "kbtool", "serve", str(vault)]
    with subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: a run started in the background inherits Ctrl-C ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as serve:
        assert serve.stdout is not None
        line = serve.stdout.readline()
        match = re.fullmatch(
            r"Serving (.+) at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)\n", line
        )
        assert match is not None, line + serve.stderr.read() if serve.stderr else line
        assert Path(match[1]) == vault.resolve()
        url = f"http://127.0.0.1:{match[2]}/target-note.html"
        with urllib.request.urlopen(url, timeout=20) as response:
            assert b"Beta under alpha." in response.read()
        (built,) = tmp_path.glob("kbtool-serve-*")  # the temporary folder it built into
        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=30) == 0
    assert not built.exists()


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = ["serve", str(write_vault(tmp_path / "vault")), "--port", str(port)]
        result = subprocess.run(
            [sys.executable, "-m", "kbtool", *command], capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 2
    assert result.stderr.startswith(f"kbtool: error: 127.0.0.1:{port}: cannot listen")
    assert result.stderr.count("\n") == 1


def test_stopping_a_site_never_started_returns(tmp_path: Path) -> None:
    """Ctrl-C during the first build stops a site whose server never ran."""
    site = LiveSite(write_vault(tmp_path / "vault"), tmp_path / "site")
    done = threading.Event()
    threading.Thread(target=lambda: (site.stop(), done.set()), daemon=True).start()
    assert done.wait(timeout=10)


def test_a_file_removed_between_its_look_up_and_its_read_is_the_404_page(
    live: LiveSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build may remove a page while a request for it is answered: a 404 with the
    site's own 404 page, as for any file not there, not a dropped connection."""
    from kbtool.site import server

    gone = live.out / "gone.html"
    monkeypatch.setattr(server, "safe_file", lambda root, path: gone)  # found, then gone
    status, body = _get(live, "/gone.html")
    assert status == 404
    assert body == (live.out / "404.html").read_bytes()
    assert b"Connection: close" in _raw(live, b"GET /gone.html HTTP/1.0\r\n\r\n")
