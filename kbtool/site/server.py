"""`kbtool serve`: the site on 127.0.0.1, rebuilt when a note changes, pages reloaded live.

The server answers only on the loopback address and only with files of its
output folder: the request path is percent-decoded once, and any `.` or `..`
segment, hidden name, backslash, NUL or symlink is a 404, so neither
`/../`, `%2e%2e/` nor a double-encoded `%252e` leaves the folder. Requests are
served by threads with a deep listen queue, so a burst of connections (or a
slow or malformed client) does not stop the others.

Open pages hold a server-sent-events stream (`/_kbtool/events`, from a script
file, CSP-clean); after each good build they reload. A build that fails keeps
the last good site online and sends the reason to open pages as a banner, as it
does a note that does not parse (KB001 to KB006: its page is made from what could
be read) and the link findings.
Each rebuild is incremental: only the pages whose inputs changed are rendered.
"""

from __future__ import annotations

import contextlib
import mimetypes
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kbtool import codes
from kbtool.config import ConfigError
from kbtool.site.builder import CSP, LINK_CODES, BuildResult, build_site, load_for_build
from kbtool.site.incremental import BuildState
from kbtool.site.output import OutputError
from kbtool.vault.load import VaultError, scan_vault

#: What the banner of open pages shows: a note that does not parse, and the link findings.
LIVE_CODES = (
    codes.UNREADABLE_FILE,
    codes.INVALID_YAML,
    codes.FRONTMATTER_NOT_MAPPING,
    codes.DUPLICATE_KEY,
    codes.UNCLOSED_FRONTMATTER,
    *LINK_CODES,
)
EVENTS = "/_kbtool/events"
LIVE_SCRIPT = "/_kbtool/live.js"
PING_SECONDS = 10.0


def safe_file(root: Path, request_path: str) -> Path | None:
    """The file of the output folder that `request_path` names, or None (a 404)."""
    decoded = unquote(urlsplit(request_path).path)
    if "\0" in decoded or "\\" in decoded:
        return None
    parts = [p for p in decoded.split("/") if p]
    if any(p.startswith(".") for p in parts):  # `.`, `..`, the manifest, temporary files
        return None
    target = root.joinpath(*parts)
    if target.is_dir() and not target.is_symlink():
        target = target / "index.html"
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    inside = real.is_relative_to(root.resolve())
    return real if inside and real.is_file() and not target.is_symlink() else None


class LiveSite:
    """One vault built into `out`, served on 127.0.0.1 and rebuilt on `rebuild()`."""

    def __init__(self, vault_root: Path, out: Path, port: int = 0) -> None:
        self.vault_root = vault_root
        self.out = out
        self.generation = 0  # good builds so far
        self.problem = ""  # why the last build failed, "" when it did not
        self.state: BuildState | None = None  # the last good build's, for the next one
        self.changed = threading.Condition()
        self.building = threading.Lock()  # one build at a time into `out`
        self.stopping = threading.Event()
        self.serving = False  # `start` was called
        self.server = _Server(("127.0.0.1", port), _Handler)
        self.server.site = self
        self.port: int = self.server.server_address[1]

    def rebuild(self) -> BuildResult | None:
        """Build the site again; on failure keep the last good one and tell open pages.
        A call while another build runs (the watcher's, say) waits for it: two builds
        into one folder would each remove what the other just wrote."""
        with self.building:
            return self._rebuild()

    def _rebuild(self) -> BuildResult | None:
        try:
            files = scan_vault(self.vault_root)  # the link findings' warm check starts from it
            vault = load_for_build(files)
            result = build_site(
                vault,
                self.out,
                live=True,
                previous=self.state,
                save_state=False,
                files=files,
                finding_codes=LIVE_CODES,
            )
        except (OSError, ConfigError, VaultError, OutputError) as exc:
            self.state = None  # what the folder holds is no longer known: start afresh
            self._announce(problem=f"build failed, showing the last good site: {exc}")
            return None
        self.state = result.state
        first = sorted(result.findings, key=lambda d: d.severity != "error")  # stable
        errors = [f"{d.path}:{d.line}: {d.code} {d.message}" for d in first]
        errors += [f"not rendered: {problem}" for problem in result.failed]
        problem = "; ".join(errors[:3]) + (f" (+{len(errors) - 3} more)" if len(errors) > 3 else "")
        self._announce(problem=problem, built=True)
        return result

    def _announce(self, problem: str, built: bool = False) -> None:
        with self.changed:
            self.problem = problem
            if built:
                self.generation += 1
            self.changed.notify_all()

    def start(self) -> None:
        """Serve in a background thread."""
        self.serving = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def watch(self, on_build: Callable[[BuildResult | None], None] | None = None) -> None:
        """Rebuild on every change under the vault, in a background thread."""
        import watchfiles

        def loop() -> None:
            for _changes in watchfiles.watch(
                self.vault_root, stop_event=self.stopping, debounce=150, raise_interrupt=False
            ):
                result = self.rebuild()
                if on_build is not None:
                    on_build(result)

        threading.Thread(target=loop, daemon=True).start()

    def stop(self) -> None:
        """Stop watching and serving (at any point: `shutdown` would wait forever for a
        server that was never started)."""
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        if self.serving:
            self.server.shutdown()
        self.server.server_close()


def _read(path: Path) -> bytes | None:
    """A file's bytes, or None when it is not there: a build may remove a file between
    its look-up and its read, which is then a 404, not a dropped connection."""
    try:
        return path.read_bytes()
    except OSError:
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    site: LiveSite


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "kbtool"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        pass  # a development server: the terminal shows builds, not requests

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def _respond(self, *, with_body: bool) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS and with_body:
            self._events()
            return
        if path == LIVE_SCRIPT:
            script = resources.files("kbtool.site").joinpath("static", "live.js").read_bytes()
            self._send(200, script, "text/javascript; charset=utf-8", with_body)
            return
        root = self.server.site.out
        found = safe_file(root, self.path)
        data = _read(found) if found is not None else None
        if found is None or data is None:
            page = _read(root / "404.html")
            body = page if page is not None else b"not found\n"
            self._send(404, body, "text/html; charset=utf-8", with_body)
            return
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        self._send(200, data, kind, with_body)

    def _send(self, status: int, body: bytes, kind: str, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        # HTTP/1.0 closes after each answer; said outright, so that a browser never
        # sends its next request (the page's icon, say) on a connection being closed
        self.send_header("Connection", "close")
        self.send_header("X-Content-Type-Options", "nosniff")
        # the pages' own policy, for every file: an SVG attachment opened by itself is a
        # document, and would otherwise run any script in it on this origin
        self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: `reload` after each good build, `problem` with a failure."""
        site = self.server.site
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen, shown = site.generation, ""
        with contextlib.suppress(OSError):
            while not site.stopping.is_set():
                with site.changed:
                    if site.generation == seen and site.problem == shown:
                        site.changed.wait(PING_SECONDS)
                    generation, problem = site.generation, site.problem
                if generation != seen:
                    seen, message = generation, f"event: reload\ndata: {generation}\n\n"
                elif problem != shown:
                    shown = problem
                    message = "event: problem\ndata: " + problem.replace("\n", " ") + "\n\n"
                else:
                    message = ": ping\n\n"
                self.wfile.write(message.encode("utf-8"))
                self.wfile.flush()
