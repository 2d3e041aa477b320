"""The built site in a real browser: Debian's Chromium driven by Playwright.

The sample vault (plus a callout note, a link note and a hostile note) is
built once and served from 127.0.0.1. Every page visited is watched for
console errors, Content-Security-Policy violations and dialogs (an XSS that
ran would open one). Without Chromium the tests skip, except under CI=true,
where they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kbtool.cli import main

CHROMIUM = "/usr/bin/chromium"
SAMPLE = Path(__file__).resolve().parents[1] / "vault"
KUBE_PROXY = "kube-proxy implements Services using iptables or IPVS"
EVIL = '"><img src=x onerror=alert(1)><script>alert(2)</script>'

EXTRA_NOTES = {
    "Browser/Links.md": f"""---
title: Links
type: Fact
created: 2026-01-01
tags: [type/fact]
---
- heading: [[{KUBE_PROXY}#Details#iptables Mode]]
- block: [[{KUBE_PROXY}#^iptables-random]]
- missing: [[No Such Note]]

> [!faq]- A folded question
> The folded answer
""",
    "Browser/Evil.md": f"""---
title: '{EVIL}'
aliases: ['{EVIL}']
tags: ['evil', "x\\"onmouseover=alert(3)"]
source: '<svg onload=alert(4)>'
see_also: ['[[{EVIL}]]']
---
<script>alert(5)</script>
<img src="nope.png" onerror="alert(6)">
<a href="javascript:alert(7)">js link</a> [md js](javascript:alert(8)) [[javascript:alert(9)]]
<div onclick="alert(10)" style="background:url(javascript:alert(11))">div</div>
<iframe src="javascript:alert(12)"></iframe><object data="javascript:alert(13)"></object>
<svg><script>alert(14)</script></svg><math><mtext><script>alert(15)</script></mtext></math>

> [!note] <img src=x onerror=alert(16)>
> callout

```mermaid
graph TD; A["<img src=x onerror=alert(17)>"]
```

$<img src=x onerror=alert(18)>$
""",
}


def _chromium_or_skip() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(CHROMIUM).exists():
        message = "Chromium or Playwright missing: apt-get install chromium, pip install playwright"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return sync_playwright


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site's base URL on 127.0.0.1."""
    root = tmp_path_factory.mktemp("browser")
    vault = root / "vault"
    shutil.copytree(SAMPLE, vault)
    for rel, text in EXTRA_NOTES.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    yield from _built_and_served(vault, root / "site")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site of the OWASP notes (`tests/site_xss.py`), on 127.0.0.1."""
    from tests.site_xss import write_hostile_vault

    root = tmp_path_factory.mktemp("hostile")
    yield from _built_and_served(write_hostile_vault(root / "vault"), root / "site")


def _built_and_served(vault: Path, out: Path) -> Iterator[str]:
    args = ["build", str(vault), "-o", str(out), "--today", "2026-12-01"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Watched:
    """A page whose console errors, CSP violations and dialogs are recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("response", self._response)
        page.on("dialog", self._dialog)
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => {"
            " (window.__csp = window.__csp || [])"
            ".push(e.violatedDirective + ' ' + e.blockedURI) });"
        )

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} {response.url}")

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.check()

    def check(self) -> None:
        """No console error, no CSP violation, no dialog so far."""
        self.page.wait_for_load_state("load")
        violations = self.page.evaluate("window.__csp || []")
        assert violations == [], violations
        assert self.problems == [], self.problems


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _chromium_or_skip()
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Watched]:
    context = browser.new_context()
    context.set_default_timeout(5000)
    watched = Watched(context.new_page())
    yield watched
    watched.check()
    context.close()


def test_wiki_link_heading_link_and_block_link_land_on_target(page: Watched, site: str) -> None:
    page.goto(site + "mocs/moc-kubernetes-networking.html")
    page.page.get_by_role("link", name=KUBE_PROXY, exact=True).first.click()
    page.check()
    assert page.page.locator("h1").inner_text() == KUBE_PROXY
    page.goto(site + "browser/links.html")
    page.page.get_by_text(f"{KUBE_PROXY} > Details > iptables Mode", exact=True).click()
    page.check()
    assert page.page.evaluate("document.querySelector(':target').outerHTML").startswith(
        '<h3 id="iptables-mode">'
    )
    page.goto(site + "browser/links.html")
    page.page.get_by_text(f"{KUBE_PROXY} > ^iptables-random", exact=True).click()
    page.check()
    target = page.page.locator(":target")
    assert target.evaluate("e => e.tagName + ' ' + e.id") == "LI ^iptables-random"
    assert "Random Selection" in target.inner_text()
    assert target.is_visible()


def test_missing_note_is_not_a_link(page: Watched, site: str) -> None:
    page.goto(site + "browser/links.html")
    broken = page.page.locator(".broken-link", has_text="No Such Note")
    assert broken.evaluate("e => e.tagName") == "SPAN"
    assert page.page.locator("a", has_text="No Such Note").count() == 0


def test_backlink_leads_back(page: Watched, site: str) -> None:
    page.goto(site + "networking/kube-proxy-implements-services-using-iptables-or-ipvs.html")
    page.page.locator(".backlinks a", has_text="MOC - Kubernetes Networking").click()
    page.check()
    assert page.page.url == site + "mocs/moc-kubernetes-networking.html"


def test_search_finds_a_word_of_a_body_and_opens_the_note(page: Watched, site: str) -> None:
    page.goto(site + "index.html")
    assert (
        page.page.evaluate("performance.getEntriesByType('resource').map(r => r.name)").count(
            site + "search/meta.json"
        )
        == 0
    )  # the index is not loaded until a search runs
    page.page.fill("#search-input", "masquerade")
    hit = page.page.locator("#search-results a.search-hit").first
    assert hit.inner_text() == "externalTrafficPolicy Local preserves the client source IP"
    page.page.fill("#search-input", "preserves client")
    assert page.page.locator("#search-results a.search-hit mark").first.inner_text() == "preserves"
    page.page.locator("#search-results a.search-hit").first.click()
    page.check()
    opened = "traffic/externaltrafficpolicy-local-preserves-the-client-source-ip.html"
    assert page.page.url == site + opened


RANKED = {
    "In Text.md": "---\ntitle: In Text\n---\nA quagga in the text.\n",
    "Heading.md": "---\ntitle: Heading\n---\n## Quagga facts\n\nbody\n",
    "Tagged.md": "---\ntitle: Tagged\ntags: [quagga]\n---\nbody\n",
    "Aliased.md": "---\ntitle: Aliased\naliases: [Quagga zebra]\n---\nbody\n",
    "Titled.md": "---\ntitle: The Quagga\n---\nbody\n",
}


@pytest.fixture(scope="module")
def ranked_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.site_vault import write_vault

    root = tmp_path_factory.mktemp("ranked")
    yield from _built_and_served(write_vault(root / "vault", RANKED), root / "site")


def test_search_ranks_title_alias_tag_heading_then_text(page: Watched, ranked_site: str) -> None:
    page.goto(ranked_site + "index.html")
    page.page.fill("#search-input", "quagga")
    hits = page.page.locator("#search-results a.search-hit")
    hits.first.wait_for()
    assert hits.all_inner_texts() == ["The Quagga", "Aliased", "Tagged", "Heading", "In Text"]
    assert page.page.locator("#search-results a.search-hit mark").all_inner_texts() == ["Quagga"]
    snippets = page.page.locator("#search-results p.snippet mark").all_inner_texts()
    assert "quagga" in snippets  # the match in the text is marked too
    page.page.fill("#search-input", "quag")  # still typing: a prefix of the last word
    page.page.locator("#search-results a.search-hit", has_text="In Text").wait_for()
    assert hits.count() == 5


def test_dark_mode_toggle_sticks(page: Watched, site: str) -> None:
    page.goto(site + "index.html")
    light = page.page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.page.click("#theme-toggle")
    dark = page.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (light, dark) == ("rgb(253, 253, 252)", "rgb(22, 24, 28)")
    page.goto(site + "tags/index.html")
    assert page.page.evaluate("document.documentElement.dataset.theme") == "dark"


def test_the_system_dark_setting_is_followed_until_the_toggle_says_otherwise(
    browser: Any, site: str
) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        page = Watched(context.new_page())
        page.goto(site + "index.html")
        background = "getComputedStyle(document.body).backgroundColor"
        assert page.page.evaluate(background) == "rgb(22, 24, 28)"
        page.page.click("#theme-toggle")
        assert page.page.evaluate(background) == "rgb(253, 253, 252)"
        page.check()
    finally:
        context.close()


@pytest.mark.parametrize(
    "rel",
    [
        "networking/kube-proxy-implements-services-using-iptables-or-ipvs.html",
        "graph.html",
        "review.html",
        "tags/index.html",
        "browser/links.html",
    ],
)
def test_pages_fit_a_phone_screen(browser: Any, site: str, rel: str) -> None:
    """At 360 CSS pixels nothing makes the page scroll sideways, the text takes the
    screen's width, and a note's contents move above it (one column)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = Watched(context.new_page())
        page.goto(site + rel)
        page.page.wait_for_load_state("networkidle")
        width = page.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (rel, width)
        main = page.page.locator("article.note, main").first.bounding_box()
        assert main is not None and main["width"] >= 325, (rel, main)
        toc = page.page.locator("aside.toc")
        if toc.count():
            box = toc.bounding_box()
            assert box is not None and box["y"] + box["height"] <= main["y"] + 1
        page.check()
    finally:
        context.close()


def test_callout_folds(page: Watched, site: str) -> None:
    page.goto(site + "browser/links.html")
    answer = page.page.locator(".callout-content", has_text="The folded answer")
    assert not answer.is_visible()
    page.page.click("summary.callout-title")
    assert answer.is_visible()


def test_hostile_note_runs_nothing(page: Watched, site: str) -> None:
    pages = [
        "browser/evil.html",
        "tags/evil.html",
        "browser/index.html",
        "index.html",
        "graph.html",
    ]
    for rel in pages:
        page.goto(site + rel)
        bad = page.page.evaluate(
            """() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
                 .filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))
                 .map(a => e.tagName + ' ' + a.name))"""
        )
        assert bad == [], (rel, bad)
    page.goto(site + "browser/evil.html")
    assert page.page.locator("h1").inner_text() == EVIL
    page.page.fill("#search-input", "onerror")
    page.page.locator("#search-results a.search-hit").first.wait_for()
    page.check()


def test_owasp_filter_evasion_strings_run_nothing_anywhere(
    page: Watched, hostile_site: str
) -> None:
    """Every page of the OWASP notes (each string in the title, aliases, tags, a property,
    link targets and texts, a callout title, Mermaid and math, raw HTML, file names),
    their tag pages and the site pages: no dialog, no console error or CSP violation,
    and no event handler or script URL in the DOM; then a search and a hover preview."""
    from tests.site_xss import NAMES, VECTORS

    notes = [f"owasp/v{i}.html" for i in range(len(VECTORS))]
    pages = [*notes, "owasp/index.html", "index.html", "graph.html", "review.html"]
    pages += ["tags/index.html", "404.html", "search.html?q=alert"]
    seen_names = []
    for rel in pages:
        page.goto(hostile_site + rel)
        bad = page.page.evaluate(
            """() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
                 .filter(a => a.name.startsWith('on')
                   || /^\\s*(javascript|vbscript|data):/i.test(a.value)
                      && !(e.tagName === 'IMG' && a.name === 'src'))
                 .map(a => e.tagName + ' ' + a.name))"""
        )
        assert bad == [], (rel, bad)
        seen_names += page.page.locator("a").all_inner_texts()
    assert page.page.locator("#search-page a.search-hit").count() > 0
    assert set(NAMES) <= set(seen_names)  # the hostile file names are shown as text
    page.goto(hostile_site + "owasp/v0.html")
    assert page.page.locator("h1").inner_text() == VECTORS[0]
    page.page.locator(".note-body a.internal-link").first.hover()
    page.page.locator(".preview").wait_for()
    page.check()


def test_hovering_a_link_previews_its_target(page: Watched, site: str) -> None:
    page.goto(site + "browser/links.html")
    page.page.get_by_text(f"{KUBE_PROXY} > Details > iptables Mode", exact=True).hover()
    preview = page.page.locator(".preview")
    preview.wait_for()
    assert preview.locator("h3").first.inner_text() == "iptables Mode"
    assert "KUBE-SERVICES" in preview.inner_text()
    assert preview.locator("[id]").count() == 0  # no id repeated on the page
    page.page.mouse.move(0, 0)
    assert page.page.locator(".preview").count() == 0


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Any]:
    """`kbtool serve`'s site of the small test vault, served and watching the vault."""
    from kbtool.site.server import LiveSite
    from tests.site_vault import write_vault

    site = LiveSite(write_vault(tmp_path / "vault"), tmp_path / "site")
    assert site.rebuild() is not None
    site.start()
    site.watch()
    yield site
    site.stop()


def test_serve_reloads_an_open_page_after_a_note_changes(page: Watched, live: Any) -> None:
    page.goto(f"http://127.0.0.1:{live.port}/target-note.html")
    page.page.wait_for_function("document.readyState === 'complete'")
    page.page.wait_for_timeout(500)  # the event stream is open
    note = live.vault_root / "Target Note.md"
    note.write_text(note.read_text().replace("Beta under alpha.", "Changed on disk."))
    page.page.get_by_text("Changed on disk.").wait_for(timeout=20000)
    page.check()


def test_serve_names_a_broken_note_on_the_open_page(page: Watched, live: Any) -> None:
    page.goto(f"http://127.0.0.1:{live.port}/loop-a.html")
    banner = page.page.locator("#kb-live-problem")
    banner.wait_for()
    assert "KB002" not in banner.inner_text()
    page.page.wait_for_timeout(500)  # the event stream is open
    note = live.vault_root / "Target Note.md"
    note.write_text(note.read_text().replace("title: Target Note", "title: [unclosed"))
    page.page.locator("#kb-live-problem", has_text="KB002").wait_for(timeout=20000)
    assert "Target Note.md:3: KB002 frontmatter is not valid YAML" in banner.inner_text()
    assert page.page.locator("h1").inner_text() == "Loop A"  # the site is still there
    page.check()


def test_serve_runs_no_script_of_an_svg_opened_by_itself(page: Watched, live: Any) -> None:
    from tests.site_xss import EVIL_SVG

    (live.vault_root / "evil.svg").write_text(EVIL_SVG)
    (live.vault_root / "Drawing.md").write_text("![[evil.svg]]\n")
    assert live.rebuild() is not None
    page.page.goto(f"http://127.0.0.1:{live.port}/evil.svg")
    page.page.wait_for_timeout(300)
    assert [p for p in page.problems if p.startswith("dialog")] == []
    assert page.page.evaluate("window.__csp || []") == ["script-src-elem inline"]  # blocked
    page.problems.clear()  # the blocked script is a console error: that is the point
    page.goto(f"http://127.0.0.1:{live.port}/drawing.html")


def test_pages_work_without_javascript(browser: Any, site: str) -> None:
    """Reading, links, folded callouts and the properties need no script; nothing that
    only a script can use (the theme toggle, the graph's box) is shown."""
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(5000)
    try:
        page = context.new_page()
        page.goto(site + "browser/links.html")
        answer = page.locator(".callout-content", has_text="The folded answer")
        assert not answer.is_visible()
        page.click("summary.callout-title")
        assert answer.is_visible()
        assert not page.locator("#theme-toggle").is_visible()
        assert not page.locator("#neighbourhood").is_visible()
        page.get_by_text(f"{KUBE_PROXY} > Details > iptables Mode", exact=True).click()
        page.wait_for_load_state("load")
        assert page.evaluate("location.hash") == "#iptables-mode"
        assert page.locator("h1").inner_text() == KUBE_PROXY
        page.locator("details.properties summary").click()
        assert page.locator("details.properties dt", has_text="type").is_visible()
        page.goto(site + "search.html")
        assert "Search needs JavaScript" in page.locator("#search-page").inner_text()
    finally:
        context.close()


def test_graph_page_draws_every_note(page: Watched, site: str) -> None:
    page.goto(site + "graph.html")
    dots = page.page.locator("#graph svg circle")
    dots.first.wait_for()
    assert dots.count() == 29  # the sample vault's 27 notes and the two added here
    assert page.page.locator("#graph svg line").count() > 20
    page.page.locator("#graph svg a").first.click()
    page.check()
    assert page.page.locator("h1.note-title").count() == 1


def test_a_note_page_draws_its_neighbourhood(page: Watched, site: str) -> None:
    page.goto(site + "networking/kube-proxy-implements-services-using-iptables-or-ipvs.html")
    nodes = page.page.locator("#neighbourhood svg a")
    nodes.first.wait_for()
    drawn = nodes.evaluate_all(
        "as => as.map(a => [a.querySelector('title').textContent, a.getAttribute('class')])"
    )
    both = [
        "kube-proxy nftables mode scales better than iptables mode",
        "Kubernetes provides NodePort and LoadBalancer for external service access",
        "kube-proxy IPVS mode balances Services with kernel virtual servers",
    ]
    assert drawn == [
        *[[t, "node-both"] for t in both],
        ["EndpointSlices list the ready backends of a Service", "node-out"],
        ["Pods communicate across cluster using CNI-provided networking", "node-both"],
        ["MOC - Kubernetes Networking", "node-both"],
        ["ClusterIP gives a Service a stable virtual IP inside the cluster", "node-in"],
        ["Connection tracking keeps established flows on the same backend", "node-in"],
        ["eBPF dataplanes can replace kube-proxy", "node-in"],
        ["Links", "node-in"],  # added by this test module
        ["Session affinity pins a client to one backend Pod", "node-in"],
    ]
    assert page.page.locator("#neighbourhood svg text").count() == 11  # few: labelled
    page.page.locator("#neighbourhood svg a.node-out circle").click()
    page.check()
    assert (
        page.page.url == site + "services/endpointslices-list-the-ready-backends-of-a-service.html"
    )
