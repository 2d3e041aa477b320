"""The site's renderer: links through the resolver, anchors, Obsidian syntax, embeds, safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kbtool.site.render.links import SiteLinks
from kbtool.site.render.note import NoteRenderer
from kbtool.site.source import NoteTexts, body_text
from kbtool.site.urls import UrlMap, heading_id, slug
from kbtool.vault import text as vault_text
from kbtool.vault.load import load_vault
from tests.site_vault import write_vault


def _renderer(root: Path, base: str = "/") -> NoteRenderer:
    vault = load_vault(root)
    urls = UrlMap(base)
    for p in vault.notes:
        urls.add_note(p)
    for a in vault.attachments:
        urls.add_attachment(a)
    texts = {p: body_text(vault.root, n) for p, n in vault.notes.items()}
    renderer = NoteRenderer(texts, vault.notes, SiteLinks(vault, urls), raw_html=True)
    renderer.keep_parsed = set(vault.notes)
    return renderer


def _render(root: Path, path: str, base: str = "/") -> str:
    return _renderer(root, base).render(path)


@pytest.fixture
def linker(tmp_path: Path) -> str:
    return _render(write_vault(tmp_path), "Folder/Linker.md")


@pytest.fixture
def target(tmp_path: Path) -> str:
    return _render(write_vault(tmp_path), "Target Note.md")


def test_slugs_are_lower_case_readable_and_keep_other_scripts() -> None:
    assert slug("Kube Proxy & IPVS!") == "kube-proxy-ipvs"
    assert slug("Ελληνικά σημειώσεις") == "ελληνικά-σημειώσεις"
    assert heading_id("wifi 2.4 vs 5.0") == "wifi-2-4-vs-5-0"


def test_two_paths_with_one_slug_get_distinct_urls() -> None:
    urls = UrlMap("/docs")
    assert urls.add_note("A b.md") == "a-b.html"
    assert urls.add_note("a-B.md") == "a-b-2.html"
    assert urls.add_note("index.md") == "index-2.html"  # the home page is the site's
    assert urls.add_note("tags/x.md") == "tags-notes/x.html"  # tag pages live in tags/
    assert urls.url("a-b.html", "^x") == "/docs/a-b.html#^x"


def test_case_insensitive_link_reaches_the_note(linker: str) -> None:
    assert '<a class="internal-link" href="/target-note.html">target note</a>' in linker


def test_chained_heading_lands_on_the_nested_heading(linker: str, target: str) -> None:
    assert 'href="/target-note.html#beta">Target Note &gt; Alpha &gt; Beta</a>' in linker
    assert 'href="/target-note.html#beta-2">other beta</a>' in linker
    assert '<h3 id="beta">Beta</h3>' in target and '<h3 id="beta-2">Beta</h3>' in target


def test_block_link_lands_on_the_list_item(linker: str, target: str) -> None:
    assert 'href="/target-note.html#^blk-1"' in linker
    assert '<li id="^blk-1">the random item</li>' in target


def test_markdown_link_resolves_with_its_heading(linker: str) -> None:
    assert '<a href="/target-note.html#alpha" class="internal-link">md</a>' in linker


def test_missing_note_is_inert_text_not_a_link(linker: str) -> None:
    assert (
        '<span class="broken-link" title="no note or file named \'Missing Note\' in the vault">'
        "Missing Note</span>"
    ) in linker
    assert "missing-note" not in linker


def test_highlight_and_comment(target: str) -> None:
    assert "<mark>marked text</mark>" in target
    assert "secret" not in target


def test_foldable_and_nested_callouts(linker: str) -> None:
    assert '<details class="callout" data-callout="tip">' in linker  # `-`: folded
    assert '<summary class="callout-title">Folded title</summary>' in linker
    inner = linker.index('<div class="callout" data-callout="warning">')
    assert linker.index("<details") < inner < linker.index("</details>")


def test_math_code_and_mermaid(linker: str) -> None:
    assert '<math class="tex"><mtext>E = mc^2</mtext></math>' in linker
    code = '<pre class="highlight"><code class="language-python"><span class="k">def</span>'
    assert code in linker
    assert '<pre class="mermaid">graph TD; A--&gt;B\n</pre>' in linker
    assert "style=" not in linker


def test_image_embed_keeps_its_size(linker: str) -> None:
    assert '<img src="/pic.png" alt="pic.png" width="300" loading="lazy">' in linker


def test_heading_embed_shows_that_section_without_ids(linker: str) -> None:
    body = linker.split('<div class="embed-body">', 1)[1]
    section = body.split("</div></div>", 1)[0]
    assert "<h2>Alpha</h2>" in section and "Beta under alpha." in section
    assert "Beta under other" not in section and "id=" not in section


def test_embed_loop_stops_with_a_link(linker: str) -> None:
    assert linker.count('class="embed embed-stopped"') == 1
    assert linker.count("A embeds B:") == 1  # Loop A shown once, then B, then the stop


def test_hostile_html_is_sanitised(tmp_path: Path) -> None:
    notes = {
        "X.md": '<script>alert(1)</script>\n\n<img src="x" onerror="alert(2)">\n\n'
        '<a href="javascript:alert(3)">j</a> [m](javascript:alert(4))\n\n'
        '<iframe src="https://example.com"></iframe><form><input name=a></form>\n\n'
        '<p style="color:red" onclick="x()">styled</p>\n'
    }
    html = _render(write_vault(tmp_path, notes), "X.md")
    assert "<script" not in html and "alert(1)" not in html
    assert re.search(r"\son\w+=", html) is None
    assert "javascript:" not in html.replace("[m](javascript:alert(4))", "")
    assert "<iframe" not in html and "<form" not in html and "<input" not in html
    assert "style=" not in html and "<p>styled</p>" in html


def test_raw_html_urls_go_through_the_resolver_or_are_dropped(tmp_path: Path) -> None:
    notes = {"X.md": '<img src="pic.png"> <img src="nope.png"> <a href="Target%20Note.md">t</a>\n'}
    root = write_vault(tmp_path, {**notes, "Target Note.md": "# T\n"})
    html = _render(root, "X.md")
    assert '<img src="/pic.png"> <img> <a href="/target-note.html">t</a>' in html


def test_rendering_an_embed_leaves_the_embedded_note_intact(tmp_path: Path) -> None:
    renderer = _renderer(write_vault(tmp_path))
    first = renderer.render("Folder/Linker.md")
    assert renderer.render("Folder/Linker.md") == first  # links rewritten once, not twice
    target = renderer.render("Target Note.md")  # its tokens were rendered inside Linker
    assert '<h2 id="alpha">Alpha</h2>' in target


def test_nothing_is_loaded_from_another_host(tmp_path: Path) -> None:
    notes = {"X.md": '<img src="https://e.com/a.png" alt="a"> ![b](https://e.com/b.png)\n'}
    html = _render(write_vault(tmp_path, notes), "X.md")
    assert '<img alt="a">' in html
    assert '<a class="external-link external-image" href="https://e.com/b.png">b</a>' in html


def test_a_forgotten_note_text_is_read_again_as_it_was(tmp_path: Path) -> None:
    """A build drops each note's text once its page is made (memory); a later embed of
    the note reads the same text again."""
    (tmp_path / "A.md").write_text("---\ntags: [x]\n---\nBody %%hidden%% of A.\n")
    vault = load_vault(tmp_path, cache=False)
    texts = NoteTexts(vault.root, vault.notes)
    first = texts["A.md"]
    assert texts.lines("A.md") == ["Body            of A.", ""]
    before = vault_text.reads
    texts.forget("A.md")
    assert texts["A.md"] == first and vault_text.reads - before == 1


MARKDOWN = """| a | b |
|---|---|
| 1 | 2 |

Text with a note.[^1]

[^1]: The footnote.

- [ ] open task
- [x] done task

Term
: Definition

> [!info]+ Open callout
> Shown

![[Target Note#^blk-1]]

![[clip.mp3]]

![[film.mp4]]

![[doc.pdf]]
"""


@pytest.fixture
def features(tmp_path: Path) -> str:
    root = write_vault(tmp_path, {"F.md": MARKDOWN, "Target Note.md": "- the item ^blk-1\n"})
    for name in ("clip.mp3", "film.mp4", "doc.pdf"):
        (root / name).write_bytes(b"x")
    return _render(root, "F.md")


def test_tables_footnotes_task_lists_and_definition_lists(features: str) -> None:
    assert "<thead>\n<tr>\n<th>a</th>\n<th>b</th>" in features
    assert "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>" in features
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in features
    assert '<li id="fn1" class="footnote-item"><p>The footnote.' in features
    assert '<span class="task-box" title="to do"></span> open task' in features
    assert '<span class="task-box done" title="done"></span> done task' in features
    assert "<input" not in features  # a task box is no form field
    assert "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>" in features


def test_a_plus_callout_folds_and_starts_open(features: str) -> None:
    assert '<details class="callout" data-callout="info" open="">' in features
    assert '<summary class="callout-title">Open callout</summary>' in features


def test_block_embed_shows_that_block_alone(features: str) -> None:
    body = features.split('href="/target-note.html#^blk-1">Target Note</a></div>', 1)[1]
    assert body.startswith('<div class="embed-body"><ul><li>the item</li>\n</ul></div></div>')


def test_audio_video_and_pdf_embeds_get_their_elements(features: str) -> None:
    assert '<audio controls="" src="/clip.mp3"><a href="/clip.mp3">clip.mp3</a></audio>' in features
    assert '<video controls="" src="/film.mp4"><a href="/film.mp4">film.mp4</a></video>' in features
    assert (
        '<object class="embed-pdf" data="/doc.pdf" type="application/pdf">'
        '<a href="/doc.pdf">doc.pdf</a></object>'
    ) in features


def test_embeds_nested_deeper_than_the_bound_stop_with_a_link(tmp_path: Path) -> None:
    chain = {f"D{i}.md": f"level {i}\n\n![[D{i + 1}]]\n" for i in range(1, 8)}
    html = _render(write_vault(tmp_path, {**chain, "D8.md": "level 8\n"}), "D1.md")
    shown = re.findall(r"<p>level (\d)</p>", html)
    assert shown == ["1", "2", "3", "4", "5"]  # D1 itself, then MAX_EMBED_DEPTH levels
    assert html.count('class="embed embed-stopped"') == 1
    assert (
        'title="embeds nested too deep"><div class="embed-title"><a class="internal-link" '
        'href="/d6.html">D6</a>' in html
    )
