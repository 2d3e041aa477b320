"""The index's building blocks: tag tree, link targets, modification dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kbtool.index.links import LinkNamer, note_link, wikilink
from kbtool.index.recent import modified_at, most_recent
from kbtool.index.tagtree import build_tag_tree, walk
from kbtool.model import Frontmatter, Note, Tag
from kbtool.notes.dates import as_instant
from kbtool.notes.properties import frontmatter_tags

UTC = dt.UTC


def _note(
    path: str,
    meta: dict[str, Any] | None = None,
    body_tags: tuple[str, ...] = (),
    mtime_ns: int = 0,
) -> Note:
    fm = Frontmatter(present=meta is not None, data=meta)
    tags = tuple(Tag(name, 5, 1) for name in body_tags)
    return Note(path, 0, mtime_ns, "", fm, 1, tags=tags)


# -- tag tree -------------------------------------------------------------------


def test_frontmatter_tags_accepts_lists_and_strings() -> None:
    assert frontmatter_tags(["#a", "b/c", None, ""]) == ["a", "b/c"]
    assert frontmatter_tags("a, b c") == ["a", "b", "c"]
    assert frontmatter_tags(None) == []


def test_tag_tree_counts_each_note_once_per_node() -> None:
    notes = [
        _note("a.md", {"tags": ["topic/technology/kubernetes", "topic/technology"]}),
        _note("b.md", {"tags": ["Topic/Technology/Kubernetes"]}),
        _note("c.md", {"tags": ["topic/technology/networking"]}),
        _note("d.md", None, body_tags=("topic/technology", "flat")),
        _note("e.md", {"tags": ["flat"]}, body_tags=("FLAT",)),
    ]
    flat = {node.tag.lower(): (depth, node) for depth, node in walk(build_tag_tree(notes))}
    assert {k: (d, n.count) for k, (d, n) in flat.items()} == {
        "flat": (0, 2),
        "topic": (0, 4),
        "topic/technology": (1, 4),
        "topic/technology/kubernetes": (2, 2),
        "topic/technology/networking": (2, 1),
    }
    assert flat["topic/technology"][1].notes == ("a.md", "d.md")
    assert flat["topic"][1].notes == ()


def test_tag_tree_shows_the_most_common_spelling() -> None:
    notes = [
        _note("a.md", {"tags": ["Topic/k8s"]}),
        _note("b.md", {"tags": ["topic/K8s"]}),
        _note("c.md", {"tags": ["topic/K8s"]}),
    ]
    (root,) = build_tag_tree(notes)
    assert (root.name, root.tag) == ("topic", "topic")
    assert [(c.name, c.tag, c.count) for c in root.children] == [("K8s", "topic/K8s", 3)]


def test_tag_tree_levels_are_sorted_by_name() -> None:
    notes = [_note("a.md", {"tags": ["b", "A", "c/z", "c/y"]})]
    roots = build_tag_tree(notes)
    assert [n.name for n in roots] == ["A", "b", "c"]
    assert [n.name for n in roots[2].children] == ["y", "z"]


# -- link targets ---------------------------------------------------------------


def test_link_target_is_the_name_when_unique() -> None:
    namer = LinkNamer(["K8s/Kube-proxy.md", "K8s/Services.md", "Net/Services.md"])
    assert namer.target("K8s/Kube-proxy.md") == "Kube-proxy"
    assert namer.target("K8s/Services.md") == "K8s/Services"
    assert namer.target("Net/Services.md") == "Net/Services"


def test_link_target_compares_case_insensitively_and_counts_attachments() -> None:
    namer = LinkNamer(["a/Note.md", "b/note.md", "pic.png.md"], ["img/pic.png"])
    assert namer.target("a/Note.md") == "a/Note"
    assert namer.target("pic.png.md") == "pic.png"  # the exact path wins


def test_link_target_uses_the_shortest_unique_suffix() -> None:
    namer = LinkNamer(["x/a/N.md", "y/a/N.md", "z/b/N.md"])
    assert namer.target("z/b/N.md") == "b/N"
    assert namer.target("x/a/N.md") == "x/a/N"


def test_exact_path_wins_for_a_root_note() -> None:
    namer = LinkNamer(["N.md", "sub/N.md"])
    assert namer.target("N.md") == "N"
    assert namer.target("sub/N.md") == "sub/N"


def test_extra_files_make_names_ambiguous() -> None:
    namer = LinkNamer(["notes/Index.md"], extra=["Index.md"])
    assert namer.target("notes/Index.md") == "notes/Index"


def test_wikilink_display_is_safe() -> None:
    assert wikilink("Pods", "Pods") == "[[Pods]]"
    assert wikilink("Pods", "Pods | scheduling [draft]") == "[[Pods|Pods / scheduling (draft)]]"
    assert wikilink("Pods", "two\nlines") == "[[Pods|two lines]]"


def test_names_a_wikilink_cannot_carry_get_a_markdown_link() -> None:
    assert note_link("C#", "lang/C#.md", "C# [lang]") == "[C# \\[lang\\]](lang/C%23.md)"


# -- modification dates -----------------------------------------------------------


def test_as_instant_reads_dates_datetimes_and_strings() -> None:
    assert as_instant(dt.date(2025, 1, 2)) == dt.datetime(2025, 1, 2, tzinfo=UTC)
    assert as_instant("2025-01-02T03:04:05Z") == dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert as_instant(dt.datetime(2025, 1, 2, 3)) == dt.datetime(2025, 1, 2, 3, tzinfo=UTC)
    assert as_instant("not a date") is None
    assert as_instant(None) is None


def test_modified_at_prefers_the_later_property_then_mtime() -> None:
    both = _note("a.md", {"modified": dt.date(2025, 1, 1), "updated": "2025-02-01"})
    assert modified_at(both) == (dt.datetime(2025, 2, 1, tzinfo=UTC), "updated")
    neither = _note("b.md", {"modified": "soon"}, mtime_ns=86_400 * 10**9)
    assert modified_at(neither) == (dt.datetime(1970, 1, 2, tzinfo=UTC), "mtime")


def test_most_recent_is_newest_first_with_ties_by_path() -> None:
    day = dt.datetime(2025, 1, 1, tzinfo=UTC)
    later, earlier = day + dt.timedelta(days=1), day.replace(year=2020)
    items = [("c", day), ("a", day), ("b", later), ("d", earlier)]
    assert most_recent(items, 3) == ["b", "a", "c"]
    assert most_recent(items, 0) == []
