"""`kbtool build`: pages, findings, the output-folder guard, attachments and escaping."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.site.builder import build_site
from kbtool.site.output import MARKER, OutputError
from kbtool.vault.load import load_vault
from tests.site_crawl import dead_links, inline_code
from tests.site_vault import write_vault
from tests.site_xss import VECTORS, write_hostile_vault


def _build(vault: Path, out: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(vault), "-o", str(out), *args])
    return result.exit_code, result.stderr


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault")


def _pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.html")}


def test_build_writes_note_tag_folder_and_site_pages(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, err = _build(vault, out)
    assert code == 0, err
    pages = _pages(out)
    assert {"index.html", "404.html", "search.html", "tags/index.html"} <= set(pages)
    assert {"target-note.html", "folder/linker.html", "folder/index.html"} <= set(pages)
    assert {"tags/topic.html", "tags/topic/net.html", "tags/topic/net/sub.html"} <= set(pages)
    net = pages["tags/topic/net.html"]  # a parent tag lists its children's notes too
    assert ">Linker</a>" in net and ">Target Note</a>" in net


def test_link_findings_on_stderr_and_strict_fails(vault: Path, tmp_path: Path) -> None:
    code, err = _build(vault, tmp_path / "site")
    assert code == 0
    assert "/Folder/Linker.md:6:25: KB201 error: [[Missing Note]] matches no note\n" in err
    code, err = _build(vault, tmp_path / "site", "--strict")
    assert code == 1 and "KB201" in err


def test_note_page_has_backlinks_with_snippets_toc_and_review(vault: Path, tmp_path: Path) -> None:
    (vault / "Target Note.md").write_text(
        (vault / "Target Note.md").read_text().replace("tags:", "created: 2026-01-01\ntags:")
    )
    out = tmp_path / "site"
    assert _build(vault, out, "--today", "2026-03-01")[0] == 0
    page = _pages(out)["target-note.html"]
    backlinks = page.split('id="backlinks-title"', 1)[1]
    assert '<a class="backlink" href="/folder/linker.html">Linker</a>' in backlinks
    assert '<p class="snippet">Links: target note, Target Note' in backlinks
    assert '<li class="toc-3"><a href="#beta-2">Beta</a></li>' in page
    assert '<time datetime="2026-04-01">2026-04-01</time> (due in 31 days)' in page  # created + 90d


def test_a_note_page_title_is_its_title_and_the_sites(vault: Path, tmp_path: Path) -> None:
    """The `<title>` is text only (a tag inside it is shown in the browser's tab)."""
    out = tmp_path / "site"
    _build(vault, out)
    page = _pages(out)["target-note.html"]
    assert re.findall(r"<title>(.*?)</title>", page, re.S) == ["Target Note · vault"]
    assert page.count('<script src="/assets/neighbourhood.js" defer></script>') == 1


def test_every_page_has_a_strict_csp_and_nothing_inline(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(vault, out)
    assert inline_code(out) == [] and dead_links(out) == []
    for rel, html in _pages(out).items():
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
        assert csp is not None, rel
        assert "default-src 'none'; script-src 'self'; style-src 'self';" in unescape(csp[1])
        assert re.search(r"(src|href)=\"(https?:)?//", html) is None, rel


def test_hostile_names_and_properties_are_escaped(tmp_path: Path) -> None:
    evil = '"><img src=x onerror=alert(1)>'
    notes = {
        "Evil.md": f"---\ntitle: '{evil}'\naliases: ['{evil}']\ntags: ['x<script>']\n"
        f"note: '<b onmouseover=alert(2)>p</b>'\n---\nbody\n"
    }
    out = tmp_path / "site"
    _build(write_vault(tmp_path / "v", notes), out)
    page = _pages(out)["evil.html"]
    assert "<img src=x" not in page and "<b onmouseover" not in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_owasp_strings_leave_no_handler_script_or_script_url_in_any_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, err = _build(write_hostile_vault(tmp_path / "v"), out)
    assert code == 0, err
    pages = _pages(out)
    assert len(pages) > len(VECTORS) * 2  # a page per note and per tag, and the site's
    assert inline_code(out) == [] and dead_links(out) == []
    for rel, html in pages.items():
        scripts = re.findall(r"<script\b[^>]*>", html, re.I)
        assert all(re.fullmatch(r'<script src="/assets/\w+\.js"( defer)?>', t) for t in scripts)
        assert (
            re.search(
                r"<(base|embed|frame|iframe|object [^>]*data|link[^>]*javascript)", html, re.I
            )
            is None
        )
        assert re.search(r'<meta http-equiv="refresh', html, re.I) is None, rel


def test_only_linked_attachments_are_copied(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(vault, out)
    assert (out / "pic.png").read_bytes() == (vault / "pic.png").read_bytes()
    assert not (out / "unused.png").exists()


def test_a_symlink_out_of_the_vault_is_never_copied(vault: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"secret")
    os.symlink(secret, vault / "leak.png")
    (vault / "Leaky.md").write_text("![[leak.png]]\n")
    out = tmp_path / "site"
    _build(vault, out)
    assert not any(p.read_bytes() == b"secret" for p in out.rglob("*") if p.is_file())
    assert 'class="broken-embed"' in _pages(out)["leaky.html"]


@pytest.mark.parametrize("where", ["vault", "inside", "parent"])
def test_output_in_or_around_the_vault_is_refused(vault: Path, where: str) -> None:
    out = {"vault": vault, "inside": vault / "site", "parent": vault.parent}[where]
    before = sorted(p.as_posix() for p in vault.parent.rglob("*"))
    code, err = _build(vault, out)
    assert code == 2
    assert err.startswith("kbtool: error: ") and err.count("\n") == 1
    assert sorted(p.as_posix() for p in vault.parent.rglob("*")) == before


def test_a_folder_with_foreign_files_is_refused_and_untouched(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"mine")
    code, err = _build(vault, out)
    assert code == 2 and "was not written by 'kbtool build'" in err
    assert sorted(p.name for p in out.iterdir()) == ["thesis.docx"]


def test_rebuild_removes_only_what_the_last_build_wrote(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(vault, out)
    assert (out / "loop-b.html").exists()
    (vault / "Loop B.md").unlink()
    (vault / "Loop A.md").write_text("no embed now\n")
    assert _build(vault, out)[0] == 0
    assert not (out / "loop-b.html").exists()
    manifest = json.loads((out / MARKER).read_text())["files"]
    assert "loop-b.html" not in manifest and "loop-a.html" in manifest
    (out / "intruder.txt").write_text("x")
    code, err = _build(vault, out)
    assert code == 2 and "intruder.txt" in err


def test_a_tampered_manifest_cannot_delete_outside(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(vault, out)
    marker = out / MARKER
    data = json.loads(marker.read_text())
    data["files"].append("../vault/Target Note.md")
    marker.write_text(json.dumps(data))
    with pytest.raises(OutputError, match="damaged build manifest"):
        build_site(load_vault(vault), out)
    assert (vault / "Target Note.md").exists()


def test_search_index_is_sharded_and_holds_body_words(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(vault, out)
    meta = json.loads((out / "search/meta.json").read_text())
    shard = json.loads((out / f"search/w/{b'ra'.hex()}.json").read_text())
    docs = json.loads((out / "search/d/0.json").read_text())
    hits = [docs[shard["random"][i]][1] for i in range(0, len(shard["random"]), 2)]
    assert hits == ["Target Note"] and meta["docs"] == 4


def test_base_url_prefixes_every_internal_link(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(vault, out, "--base-url", "/notes")
    page = _pages(out)["folder/linker.html"]
    assert 'href="/notes/target-note.html#beta"' in page
    assert 'href="/notes/assets/style.css"' in page
    assert re.search(r'href="/(?!notes/)', page) is None


def test_long_listings_are_split_into_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbtool.site import builder

    monkeypatch.setattr(builder, "PAGE_SIZE", 3)
    notes = {f"N{i}.md": "---\ntags: [t]\n---\nx\n" for i in range(7)}
    out = tmp_path / "site"
    assert _build(write_vault(tmp_path / "v", notes), out)[0] == 0
    pages = _pages(out)
    listed = [
        re.findall(r'<li><a href="/n\d\.html">(N\d)</a>', pages[f"tags/{p}.html"])
        for p in ("t", "t-2", "t-3")
    ]
    assert listed == [["N0", "N1", "N2"], ["N3", "N4", "N5"], ["N6"]]
    assert "tags/t-4.html" not in pages
    assert '<a rel="next" href="/tags/t-2.html">' in pages["tags/t.html"]
    assert '<a rel="prev" href="/tags/t-2.html">' in pages["tags/t-3.html"]


def _dated_vault(root: Path) -> Path:
    notes = {
        "Old.md": "---\ncreated: 2026-01-01\nreview_interval: 30d\nmodified: 2026-02-01\n---\nx\n",
        "Soon.md": "---\ncreated: 2026-02-20\nreview_interval: 14d\nmodified: 2026-03-01\n---\ny\n",
        "Later.md": "---\ncreated: 2026-03-01\nreview_interval: 20d\n"
        "modified: 2026-01-15\ntitle: 'A <b> & c'\n---\nz\n",
    }
    return write_vault(root, notes)


def test_review_page_lists_due_notes_and_charts_the_next_weeks(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(_dated_vault(tmp_path / "v"), out, "--today", "2026-03-01")[0] == 0
    page = _pages(out)["review.html"]
    assert '<a href="/old.html">Old</a> <span class="muted">29 days overdue</span>' in page
    assert "Soon</a>" not in page.split("Due and overdue", 1)[1]  # due 2026-03-06
    counts = re.findall(r'<text class="bar-count"[^>]*>(\d+)</text>', page)
    assert counts == ["1", "0", "1"] + ["0"] * 9  # Soon (03-06) in week 0, Later (03-21) in 2
    assert "<rect" in page and "style=" not in page


def test_feed_lists_recent_notes_newest_first_and_sitemap_needs_an_absolute_base(
    tmp_path: Path,
) -> None:
    vault = _dated_vault(tmp_path / "v")
    out = tmp_path / "site"
    _build(vault, out)
    feed = (out / "feed.xml").read_text()
    assert re.findall(r"<entry>\n<title>([^<]*)</title>", feed) == [
        "Soon",
        "Old",
        "A &lt;b&gt; &amp; c",
    ]
    assert not (out / "sitemap.xml").exists()
    _build(vault, out, "--base-url", "https://example.org/kb")
    sitemap = (out / "sitemap.xml").read_text()
    assert (
        "<url><loc>https://example.org/kb/old.html</loc><lastmod>2026-02-01</lastmod></url>"
        in sitemap
    )
    assert '<link href="https://example.org/kb/soon.html"/>' in (out / "feed.xml").read_text()


def test_templates_and_css_can_be_overridden_from_the_vault(vault: Path, tmp_path: Path) -> None:
    (vault / ".kbtool/templates").mkdir(parents=True)
    (vault / ".kbtool/templates/404.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>Lost: {{ site.title }}</p>{% endblock %}'
    )
    (vault / ".kbtool/site.css").write_text(".note-title { color: rebeccapurple; }\n")
    out = tmp_path / "site"
    assert _build(vault, out)[0] == 0
    assert "<p>Lost: vault</p>" in (out / "404.html").read_text()
    assert "Content-Security-Policy" in (out / "404.html").read_text()
    assert (
        (out / "assets/style.css").read_text().endswith(".note-title { color: rebeccapurple; }\n")
    )


def test_a_long_review_list_moves_to_pages_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbtool.site import builder

    monkeypatch.setattr(builder, "PAGE_SIZE", 2)
    notes = {f"N{i}.md": f"---\ncreated: 2026-01-0{i + 1}\n---\nx\n" for i in range(5)}
    out = tmp_path / "site"
    assert _build(write_vault(tmp_path / "v", notes), out, "--today", "2026-12-01")[0] == 0
    pages = _pages(out)
    review = pages["review.html"]
    assert re.findall(r'<li><a href="/n\d\.html">(N\d)</a>', review) == ["N0", "N1"]
    assert '<a href="/review-due.html">All 5 due and overdue notes →</a>' in review
    listed = [
        re.findall(r">(N\d)</a>", pages[p])
        for p in ("review-due.html", "review-due-2.html", "review-due-3.html")
    ]
    assert listed == [["N0", "N1"], ["N2", "N3"], ["N4"]]


def test_a_hub_shows_its_first_backlinks_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbtool.site import builder

    monkeypatch.setattr(builder, "MAX_BACKLINKS", 2)
    notes = {"Hub.md": "hub\n", **{f"L{i}.md": "see [[Hub]]\n" for i in range(5)}}
    out = tmp_path / "site"
    assert _build(write_vault(tmp_path / "v", notes), out)[0] == 0
    page = _pages(out)["hub.html"]
    assert re.findall(r'class="backlink" href="/l\d\.html">(L\d)</a>', page) == ["L0", "L1"]
    assert "… and 3 more notes link here." in page


RAW_HTML = (
    '<iframe src="Target%20Note.md" title="t" onload="alert(1)"></iframe>\n'
    '<iframe src="https://elsewhere.example/x"></iframe>\n\n'
    '<form action="javascript:alert(3)" method="get">'
    '<input name="q" onfocus="alert(4)" formaction="javascript:alert(5)">'
    '<button type="submit">go</button></form>\n'
)


def _raw_html_page(tmp_path: Path, site_table: str) -> str:
    vault = write_vault(tmp_path / "v", {"X.md": RAW_HTML, "Target Note.md": "# T\n"})
    (vault / "kbtool.toml").write_text(f"[site]\n{site_table}\n")
    out = tmp_path / "site"
    code, err = _build(vault, out)
    assert code == 0, err
    page = _pages(out)["x.html"]
    return page.split('<div class="note-body">', 1)[1].split("</div>", 1)[0]


def test_frames_and_forms_are_dropped_unless_kbtool_toml_allows_them(tmp_path: Path) -> None:
    assert _raw_html_page(tmp_path / "a", "") == "\n\n\ngo\n\n"
    allowed = _raw_html_page(tmp_path / "b", 'allow_html = ["iframe", "form"]')
    assert allowed == (
        '\n<iframe src="/target-note.html" title="t"></iframe>\n<iframe></iframe>\n'
        '<form method="get"><input name="q"><button type="submit">go</button></form>\n\n'
    )  # still no handler, no script URL, nothing from another host
    only_frames = _raw_html_page(tmp_path / "c", 'allow_html = ["iframe"]')
    assert '<iframe src="/target-note.html"' in only_frames and "<form" not in only_frames


def test_raw_html_is_shown_as_text_when_kbtool_toml_says_escape(tmp_path: Path) -> None:
    body = _raw_html_page(tmp_path, 'raw_html = "escape"')
    assert "<iframe" not in body and "<form" not in body
    assert body.startswith('\n<p>&lt;iframe src="Target%20Note.md" title="t" onload="alert(1)"&gt;')


@pytest.mark.parametrize(
    ("site_table", "message"),
    [
        ('allow_html = ["script"]', "site.allow_html.0"),
        ('raw_html = "escaped"', "site.raw_html"),
        ("title = 5", "site.title"),
        ('colour = "red"', "site.colour"),
    ],
)
def test_a_wrong_site_setting_is_one_line_and_exit_2(
    vault: Path, tmp_path: Path, site_table: str, message: str
) -> None:
    (vault / "kbtool.toml").write_text(f"[site]\n{site_table}\n")
    code, err = _build(vault, tmp_path / "site")
    assert code == 2 and err.startswith("kbtool: error: ") and err.count("\n") == 1
    assert message in err
    assert not (tmp_path / "site").exists()


def test_note_page_shows_breadcrumbs_tags_and_properties_with_links(
    vault: Path, tmp_path: Path
) -> None:
    target = vault / "Target Note.md"
    properties = 'source: "<b>web</b>"\nsee_also: ["[[Loop A]]", "[[Nowhere]]"]\ntags:'
    target.write_text(target.read_text().replace("tags:", properties))
    out = tmp_path / "site"
    assert _build(vault, out, "--base-url", "/kb")[0] == 0
    pages = _pages(out)
    assert (
        '<nav class="breadcrumbs" aria-label="Breadcrumbs">\n<a href="/kb/index.html">Home</a>'
        ' <span aria-hidden="true">/</span> <a href="/kb/folder/index.html">Folder</a></nav>'
    ) in pages["folder/linker.html"]
    assert (
        '<a class="tag" href="/kb/tags/topic/net/sub.html">#topic/net/sub</a>'
        in (pages["folder/linker.html"])
    )
    panel = pages["target-note.html"].split('<details class="properties">', 1)[1]
    assert panel.split("</details>", 1)[0] == (
        "\n<summary>Properties</summary>\n<dl>\n"
        "<dt>source</dt>\n<dd><span>&lt;b&gt;web&lt;/b&gt;</span></dd>\n"
        '<dt>see_also</dt>\n<dd><a href="/kb/loop-a.html">Loop A</a>, '
        '<span class="broken-link" title="no note or file named &#39;Nowhere&#39; in the vault">'
        "Nowhere</span></dd>\n</dl>\n"
    )  # title and tags have places of their own: not repeated as properties


def test_tag_index_counts_notes_and_the_404_page_links_home(vault: Path, tmp_path: Path) -> None:
    (vault / "Loop A.md").write_text("---\ntags: [topic, other]\n---\nx\n")
    out = tmp_path / "site"
    assert _build(vault, out, "--base-url", "/kb")[0] == 0
    pages = _pages(out)
    counts = re.findall(
        r'<li><a href="/kb/tags/([^"]+)\.html">#[^<]+</a> <span class="count">(\d+)</span>',
        pages["tags/index.html"],
    )
    assert counts == [("other", "1"), ("topic", "3")]  # nested tags count in their parent
    assert re.findall(r'<span class="count">(\d+)</span>', pages["tags/topic.html"]) == ["2"]
    missing = pages["404.html"]  # served for any missing path: its links are absolute
    assert '<a href="/kb/index.html">index</a>, the <a href="/kb/tags/index.html">tags</a>' in (
        missing
    )
    assert 'href="/kb/assets/style.css"' in missing


def _limited_to(max_bytes: int) -> Callable[[], None]:
    """For a child process: no file can grow past `max_bytes` (a full disk, for one file)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails (EFBIG) instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return limit


def test_a_write_that_fails_leaves_the_last_pages_whole(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(vault, out)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    target = vault / "Target Note.md"
    target.write_text(target.read_text() + "\nA long line of text. " * 5000)
    command = [sys.executable, "-m", "kbtool", "build", str(vault), "-o", str(out)]
    failed = subprocess.run(
        command, capture_output=True, text=True, preexec_fn=_limited_to(64 * 1024)
    )
    assert failed.returncode == 2
    assert failed.stderr.startswith("kbtool: error: ") and failed.stderr.count("\n") == 1
    assert "File too large" in failed.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after[out / "target-note.html"] == before[out / "target-note.html"]  # not half
    assert [p.name for p in after if p not in before] == []  # no temporary file left
    assert _build(vault, out)[0] == 0  # the next build mends it
    assert "A long line of text." in (out / "target-note.html").read_text()


def test_home_page_lists_folders_recent_notes_and_tags(tmp_path: Path) -> None:
    vault = _dated_vault(tmp_path / "v")
    (vault / "Sub").mkdir()
    (vault / "Sub/Deep.md").write_text("---\nmodified: 2025-12-01\ntags: [t]\n---\nx\n")
    out = tmp_path / "site"
    assert _build(vault, out)[0] == 0
    home = _pages(out)["index.html"]
    assert '<p class="muted">4 notes</p>' in home
    assert re.findall(r'<ul class="folders">\n<li><a href="([^"]+)">([^<]+)</a>', home) == [
        ("/sub/index.html", "Sub/")
    ]
    recent = home.split("<h2>Recently modified</h2>", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">([^<]+)</a>", recent) == ["Soon", "Old", "A &lt;b&gt; &amp; c", "Deep"]
    assert '<a href="/tags/t.html">#t</a> <span class="count">1</span>' in home
