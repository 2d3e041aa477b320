"""Incremental rebuilds: only the pages whose inputs changed are rendered, and the result is
byte for byte what a cold build writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtool.cli import main
from kbtool.lint.engine import check
from kbtool.site import builder, incremental
from kbtool.site.builder import BuildResult, build_site, load_for_build
from kbtool.site.incremental import STATE, NoteState, rows_path, state_path
from kbtool.vault import text as vault_text
from kbtool.vault.load import load_vault, scan_vault

TODAY = dt.date(2026, 3, 1)
NOTES = {
    "A.md": "---\nmodified: 2026-01-01\ntags: [t]\n---\nA links [[B]].\n\nSecond paragraph of A.\n",
    "B.md": "---\nmodified: 2026-01-02\n---\n# B\n\n## Part\n\nB text.\n",
    "C.md": "---\nmodified: 2026-01-03\n---\nC embeds:\n\n![[B#Part]]\n",
    "D.md": "---\nmodified: 2026-01-04\n---\nD alone, links [[B#Part]].\n",
    "Sub/E.md": "---\nmodified: 2026-01-05\ntags: [t]\n---\nE links [[A]].\n",
}
EVERY_PAGE = {
    "404.html",
    "a.html",
    "b.html",
    "c.html",
    "d.html",
    "graph.html",
    "index.html",
    "review.html",
    "search.html",
    "sub/e.html",
    "sub/index.html",
    "tags/index.html",
    "tags/t.html",
}


def _write(root: Path, notes: dict[str, str]) -> Path:
    for rel, text in notes.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _build(vault: Path, out: Path) -> BuildResult:
    return build_site(load_vault(vault, cache=False), out, today=TODAY)


def _tree(out: Path) -> dict[str, bytes]:
    """Every file of a built site (the build state aside: it is not part of the site)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != STATE
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    vault, out = _write(tmp_path / "vault", NOTES), tmp_path / "site"
    first = _build(vault, out)
    assert set(first.rendered) == EVERY_PAGE and first.reused == 0
    return vault, out


def _same_as_cold(vault: Path, out: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    _build(vault, cold)
    assert _tree(out) == _tree(cold)


def test_an_unchanged_vault_renders_nothing(built: tuple[Path, Path]) -> None:
    vault, out = built
    again = _build(vault, out)
    assert again.rendered == [] and again.pages == len(EVERY_PAGE) == again.reused


def test_a_text_change_renders_the_note_and_the_notes_that_embed_it(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    vault, out = built
    _edit(vault / "B.md", "B text.", "B changed.")
    result = _build(vault, out)
    assert sorted(result.rendered) == ["b.html", "c.html"]  # D only links to B#Part
    assert "B changed." in (out / "c.html").read_text()
    _same_as_cold(vault, out, tmp_path)


def test_a_rebuild_resolves_the_links_of_the_changed_notes_alone(
    built: tuple[Path, Path],
) -> None:
    vault, out = built
    _edit(vault / "A.md", "Second paragraph of A.\n", "Second paragraph of A.\n\nAlso [[D]].\n")
    assert _build(vault, out).resolved == ["A.md"]
    assert _build(vault, out).resolved == []
    (vault / "D.md").rename(vault / "D2.md")  # the names changed: every link may land anew
    assert _build(vault, out).resolved == ["A.md", "B.md", "C.md", "D2.md", "Sub/E.md"]


def test_backlinks_quote_lines_kept_from_the_last_build(built: tuple[Path, Path]) -> None:
    """B's page shows what A, C and D say of it; a rebuild after B changed reads only B and
    C (which embeds B), not the notes whose lines the backlinks quote."""
    vault, out = built
    _edit(vault / "B.md", "B text.", "B changed.")
    before = vault_text.reads
    result = _build(vault, out)
    assert vault_text.reads - before == 2
    assert sorted(result.rendered) == ["b.html", "c.html"]
    page = (out / "b.html").read_text()
    assert '<a class="backlink" href="/a.html">A</a><p class="snippet">A links B.</p>' in page


def test_the_link_findings_after_a_change_are_checks(
    built: tuple[Path, Path],
) -> None:
    vault, out = built
    _edit(vault / "A.md", "A links [[B]].", "A links [[Nowhere]].")
    found = _build(vault, out).findings
    assert [(d.path, d.line, d.code) for d in found] == [("A.md", 5, "KB201")]
    assert found == check(load_vault(vault), select=["KB2"], today=TODAY).diagnostics


def test_a_new_link_updates_the_targets_backlinks(built: tuple[Path, Path], tmp_path: Path) -> None:
    vault, out = built
    assert "No note links here." in (out / "d.html").read_text()
    _edit(vault / "A.md", "Second paragraph of A.\n", "Second paragraph of A.\n\nAlso [[D]].\n")
    result = _build(vault, out)
    assert sorted(result.rendered) == ["a.html", "d.html", "graph.html"]  # graph: link count
    page = (out / "d.html").read_text()
    assert '<a class="backlink" href="/a.html">A</a><p class="snippet">Also D.</p>' in page
    _same_as_cold(vault, out, tmp_path)


def test_a_deleted_note_leaves_inert_text_where_it_was_linked(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    vault, out = built
    (vault / "B.md").unlink()
    result = _build(vault, out)
    # its linkers, the home page (it listed B) and the graph page (its counts)
    assert sorted(result.rendered) == ["a.html", "c.html", "d.html", "graph.html", "index.html"]
    assert not (out / "b.html").exists()
    assert (
        '<span class="broken-link" title="no note or file named \'B\' in the vault">B<'
        in (out / "a.html").read_text()
    )
    assert "/b.html" not in "".join(p.read_text() for p in out.rglob("*.html"))
    _same_as_cold(vault, out, tmp_path)


def test_a_renamed_note_moves_its_page_and_its_linkers_follow(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    vault, out = built
    (vault / "Sub/E.md").rename(vault / "Sub/Eve.md")
    _edit(vault / "A.md", "Second paragraph of A.", "Second paragraph of A, see [[Eve]].")
    result = _build(vault, out)
    assert not (out / "sub/e.html").exists() and (out / "sub/eve.html").exists()
    assert {"sub/eve.html", "a.html", "sub/index.html", "tags/t.html"} <= set(result.rendered)
    assert 'href="/sub/eve.html">Eve</a>' in (out / "a.html").read_text()
    _same_as_cold(vault, out, tmp_path)


@pytest.mark.parametrize(
    "change",
    [
        ("kbtool.toml", '[site]\ntitle = "Renamed"\n'),
        (
            ".kbtool/templates/404.html",
            '{% extends "base.html" %}{% block content %}x{% endblock %}',
        ),
    ],
)
def test_a_config_or_template_change_renders_everything(
    built: tuple[Path, Path], tmp_path: Path, change: tuple[str, str]
) -> None:
    vault, out = built
    _write(vault, dict([change]))
    result = _build(vault, out)
    assert set(result.rendered) == EVERY_PAGE and result.reused == 0
    _same_as_cold(vault, out, tmp_path)


def test_the_summary_line_counts_rendered_and_unchanged_pages(built: tuple[Path, Path]) -> None:
    vault, out = built
    _edit(vault / "B.md", "B text.", "B changed.")
    args = ["build", str(vault), "-o", str(out), "--today", TODAY.isoformat()]
    result = CliRunner().invoke(main, args)
    assert f"Built 13 pages (2 rendered, 11 unchanged) and 0 attachments into {out} " in (
        result.stderr
    )


def test_a_damaged_state_means_a_full_build(built: tuple[Path, Path]) -> None:
    vault, out = built
    state_path(out).write_text("{not json")
    assert set(_build(vault, out).rendered) == EVERY_PAGE


def test_the_state_is_kept_out_of_the_site(built: tuple[Path, Path]) -> None:
    """It is tens of megabytes for a large vault: not published with the pages."""
    _vault, out = built
    assert state_path(out).is_file()
    assert not (out / STATE).exists()
    assert all(".kbtool-site-state" not in p.name for p in out.rglob("*"))


def test_a_folder_another_build_filled_is_not_trusted(built: tuple[Path, Path]) -> None:
    """The marker and the state name the same build: copy a site over the folder (a
    checkout, another machine) and the state of this machine's last build is ignored."""
    vault, out = built
    marker = out / ".kbtool-site.json"
    document = json.loads(marker.read_text())
    document["build"] = "0123456789abcdef"
    marker.write_text(json.dumps(document))
    assert set(_build(vault, out).rendered) == EVERY_PAGE


# -- any sequence of edits -------------------------------------------------------------

NAMES = ["A", "B", "C", "Sub/D"]
START = {
    "A.md": "---\ncreated: 2026-01-01\n---\n# A\n\n## Part\n\nText of A, see [[B#Part]].\n",
    "B.md": "# B\n\n## Part\n\nText of B.\n\n![[C#Part]]\n",
    "C.md": "---\ntags: [c]\n---\n# C\n\n## Part\n\nText of C, see [[D]].\n",
    "Sub/D.md": "# D\n\n## Part\n\nText of D, back to [[A]].\n",
}
KINDS = ["text", "link", "embed", "unlink", "title", "tag", "delete", "create"]
KINDS += ["heading", "alias", "alias-link", "rename", "config", "review"]
EDITS = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(NAMES),
    st.sampled_from(NAMES),
)


def _apply(vault: Path, edit: tuple[str, str, str]) -> None:
    kind, name, other = edit
    path = vault / f"{name}.md"
    if kind == "config":  # aliases become link targets, or stop being
        toml = vault / "kbtool.toml"
        on = toml.exists() and "true" in toml.read_text()
        toml.write_text(f"[links]\nresolve_aliases = {'false' if on else 'true'}\n")
        return
    if kind == "create" or not path.exists():
        _write(vault, {f"{name}.md": f"# {name}\n\n## Part\n\nText of {name}.\n"})
        if kind == "create":
            return
    text = path.read_text()
    target = other.rsplit("/", 1)[-1]
    changed = {
        "text": text + "\nMore words here.\n",
        "link": text + f"\nSee [[{target}#Part]] and [[{target}]].\n",
        "embed": text + f"\n![[{target}#Part]]\n",
        "unlink": "".join(ln for ln in text.splitlines(keepends=True) if "[[" not in ln),
        "title": f"---\ntitle: Named {name}\n---\n" + text.split("---\n")[-1],
        "tag": text + "\n#topic/x\n",
        "heading": text.replace("## Part", "## Renamed", 1)
        if "## Part" in text
        else text.replace("## Renamed", "## Part", 1),
        "alias": f"---\naliases: [Nick {name}]\n---\n" + text.split("---\n")[-1],
        "alias-link": text + f"\nCalled [[Nick {target}]].\n",
        "review": f"---\ncreated: 2026-01-{'15' if 'created: 2026-01-01' in text else '01'}\n---\n"
        + text.split("---\n")[-1],
        "delete": None,
        "rename": None,
    }[kind]
    if kind == "rename":
        path.rename(vault / f"{name}-renamed.md")
    elif changed is None:
        path.unlink()
    else:
        path.write_text(changed)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(EDITS, min_size=1, max_size=4))
def test_any_sequence_of_edits_rebuilds_to_the_cold_build(
    edits: list[tuple[str, str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        vault = _write(root / "vault", START)
        out = root / "site"
        _build(vault, out)
        for k, edit in enumerate(edits):
            _apply(vault, edit)
            again = build_site(load_vault(vault, cache=True), out, today=TODAY)
            if edit[0] != "config":  # another kbtool.toml is another site: all rendered
                assert "404.html" not in again.rendered  # it shows no note
            cold = root / f"cold{k}"
            _build(vault, cold)
            assert _tree(out) == _tree(cold), edit
            checked = check(load_vault(vault), select=["KB2"], today=TODAY).diagnostics
            assert again.findings == checked, edit


def test_the_search_index_is_patched_with_the_changed_entries_alone(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    vault, out = built
    _edit(vault / "B.md", "B text.", "B zebra.")
    assert _build(vault, out).indexed == 2  # B and C (which embeds it): no other entry read
    (vault / "D.md").unlink()  # the notes are numbered anew: the index is made again
    assert _build(vault, out).indexed == 4
    _same_as_cold(vault, out, tmp_path)
    assert json.loads((out / "search/meta.json").read_text())["docs"] == 4


def test_listings_are_kept_unless_a_title_tag_or_path_changed(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    vault, out = built
    _edit(vault / "A.md", "Second paragraph of A.", "Second paragraph of A, longer.")
    assert _build(vault, out).listed == 1  # the home page (its recent notes): no tag, folder
    _edit(vault / "A.md", "tags: [t]", "tags: [t, u]")
    result = _build(vault, out)
    assert result.listed == 5  # home, tags/index, tags/t, tags/u, sub/index
    assert "tags/u.html" in result.rendered
    _same_as_cold(vault, out, tmp_path)


def test_kept_listings_take_their_extra_pages_urls_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listings in pages of two: the kept tag page's second page keeps its URL, and the
    folder and home pages claimed after it land where a cold build puts them."""
    monkeypatch.setattr(builder, "PAGE_SIZE", 2)
    notes = {f"N{i}.md": f"---\ntags: [t]\n---\nNote {i}.\n" for i in range(5)}
    notes["tags/X.md"] = "In a folder named like the tag pages' own.\n"
    vault, out = _write(tmp_path / "vault", notes), tmp_path / "site"
    _build(vault, out)
    _edit(vault / "N1.md", "Note 1.", "Note one.")
    result = _build(vault, out)
    assert result.listed == 3  # the home page in three pages of two; tags kept
    assert (out / "tags/t-2.html").is_file()
    _same_as_cold(vault, out, tmp_path)


def test_a_search_shard_not_as_written_means_a_whole_index(built: tuple[Path, Path]) -> None:
    vault, out = built
    (out / "search/w/7465.json").write_text("{}")  # "text": B's old words, to patch
    _edit(vault / "B.md", "B text.", "B zebra.")
    assert _build(vault, out).indexed == 5


def test_only_the_search_shards_of_changed_words_are_written(built: tuple[Path, Path]) -> None:
    vault, out = built
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("search/**/*")}
    _edit(vault / "B.md", "B text.", "B zebra.")
    _build(vault, out)
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("search/**/*")}
    rewritten = sorted(rel for rel in after if before.get(rel) != after[rel])
    # the shard of "zebra" (new), B's document shard, the manifest (its list of shards)
    assert rewritten == ["search/d/0.json", "search/meta.json", "search/w/7a65.json"]
    assert "search/w/7465.json" in before and "search/w/7465.json" not in after  # only "text"
    assert (out / "search/w/7365.json").is_file()  # "second", only in A: kept


def test_graph_and_review_pages_are_kept_unless_what_they_show_changed(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    vault, out = built
    _edit(vault / "B.md", "B text.", "B changed.")
    assert _build(vault, out).made == []  # no title, link or review date changed
    _edit(vault / "A.md", "Second paragraph of A.\n", "Second paragraph of A.\n\nAlso [[D]].\n")
    assert _build(vault, out).made == ["graph"]
    _edit(vault / "D.md", "modified: 2026-01-04\n", "modified: 2026-01-04\ncreated: 2025-06-01\n")
    result = _build(vault, out)
    assert result.made == ["review"] and "review.html" in result.rendered
    assert "/d.html" in (out / "review.html").read_text()
    _edit(vault / "B.md", "modified: 2026-01-02\n", "modified: 2026-01-02\ntitle: Bee\n")
    assert _build(vault, out).made == ["review", "graph"]  # the graph's nodes show titles
    _same_as_cold(vault, out, tmp_path)


def test_kept_review_pages_take_their_urls_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five notes due, in pages of two: the list of what is due is three pages, kept with
    their URLs while no note's review date changes."""
    monkeypatch.setattr(builder, "PAGE_SIZE", 2)
    notes = {f"N{i}.md": f"---\ncreated: 2025-01-0{i + 1}\n---\nNote {i}.\n" for i in range(5)}
    vault, out = _write(tmp_path / "vault", notes), tmp_path / "site"
    first = _build(vault, out)
    assert {"review-due.html", "review-due-2.html", "review-due-3.html"} <= set(first.rendered)
    _edit(vault / "N1.md", "Note 1.", "Note one.")
    again = _build(vault, out)
    assert again.made == [] and not {"review.html", "review-due-2.html"} & set(again.rendered)
    _same_as_cold(vault, out, tmp_path)


def test_a_build_leaves_nothing_that_holds_the_vault(built: tuple[Path, Path]) -> None:
    """The notes are freed when the build is done, without a garbage collection (which in
    `serve` would walk every note of every earlier build)."""
    vault_root, out = built
    _edit(vault_root / "B.md", "B text.", "B changed.")
    gc.disable()
    try:
        vault = load_for_build(scan_vault(vault_root))
        note = vault.notes["B.md"]
        build_site(vault, out, today=TODAY)
        del vault
        assert sys.getrefcount(note) == 2  # `note`, and getrefcount's argument: nothing else
    finally:
        gc.enable()


def _rows(out: Path) -> int:
    with contextlib.closing(sqlite3.connect(rows_path(out))) as db:
        return int(db.execute("SELECT count(*) FROM piece").fetchone()[0])


def test_a_rebuild_reads_the_rows_of_what_it_renders_alone(built: tuple[Path, Path]) -> None:
    """The bulky part of the state is rows. After B changed the rebuild reads the link keys
    of A and D (they link to B: resolved again), the lines A, C and D quote on B's page
    and E on A's (checked, as A links to B), and the old search words of B and C (indexed
    anew). It adds two rows, B's and C's new words: the rest of what it keeps of them is
    as it was, the same rows."""
    vault, out = built
    before_rows, before_reads = _rows(out), incremental.reads
    _edit(vault / "B.md", "B text.", "B changed.")
    assert sorted(_build(vault, out).rendered) == ["b.html", "c.html"]
    assert incremental.reads - before_reads == 8
    assert _rows(out) - before_rows == 2


@pytest.mark.parametrize("damage", ["remove", "garble"])
def test_lost_rows_mean_a_full_build(built: tuple[Path, Path], tmp_path: Path, damage: str) -> None:
    vault, out = built
    if damage == "remove":
        rows_path(out).unlink()
    else:
        rows_path(out).write_bytes(b"not a database" * 100)
    _edit(vault / "B.md", "B text.", "B changed.")
    assert set(_build(vault, out).rendered) == EVERY_PAGE
    _same_as_cold(vault, out, tmp_path)
    _edit(vault / "B.md", "B changed.", "B changed again.")
    assert sorted(_build(vault, out).rendered) == ["b.html", "c.html"]  # incremental again


def test_rows_no_state_names_are_removed(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, out = built
    _edit(vault / "B.md", "B text.", "B changed.")
    _build(vault, out)  # B's and C's old rows are now named by no state
    monkeypatch.setattr(incremental, "PRUNE_SLACK", 0)
    _edit(vault / "B.md", "B changed.", "B changed again.")
    _build(vault, out)
    named = json.loads(state_path(out).read_bytes())["notes"]
    assert _rows(out) == len({k for n in named.values() for k in NoteState.rows_named(n)})


def test_cache_clear_all_removes_the_state_and_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    vault, out = _write(tmp_path / "vault", NOTES), tmp_path / "site"
    _build(vault, out)
    assert state_path(out).is_file() and rows_path(out).is_file()
    result = CliRunner().invoke(main, ["cache", "clear", "--all"])
    assert result.exit_code == 0, result.output
    assert not state_path(out).exists() and not rows_path(out).exists()
    assert (out / "index.html").is_file()  # the site itself is left alone
