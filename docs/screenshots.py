"""Screenshots of the sample vault's site for docs/: note, graph and review pages,
at desktop and phone widths, light and dark, in Debian's Chromium.

    python docs/screenshots.py        # builds vault/ into a temporary folder first
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "note": "services/session-affinity-pins-a-client-to-one-backend-pod.html",
    "graph": "graph.html",
    "review": "review.html",
}
SIZES = {"desktop": (1280, 860), "phone": (390, 844)}
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log: the script prints the files it writes."""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        subprocess.run(
            [sys.executable, "-m", "kbtool", "build", str(ROOT / "vault"), "-o", str(site)],
            check=True,
        )
        handler = functools.partial(_Quiet, directory=site)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for page_name, path in PAGES.items():
                for size_name, (width, height) in SIZES.items():
                    for scheme in ("light", "dark"):
                        context = browser.new_context(
                            viewport={"width": width, "height": height}, color_scheme=scheme
                        )
                        page = context.new_page()
                        page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                        out = ROOT / "docs" / f"site-{page_name}-{size_name}-{scheme}.png"
                        page.screenshot(path=str(out))
                        context.close()
                        print(out.relative_to(ROOT))
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
