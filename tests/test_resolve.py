"""Link resolution (obsidian-links.md §2) on vaults made of paths only: no parsing involved."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kbtool.config import Config, LinksConfig, VaultConfig
from kbtool.model import Frontmatter, Note
from kbtool.vault.load import Vault
from kbtool.vault.resolve import ALPHABETICAL, SAME_FOLDER, SHORTEST, Resolver


def make_vault(
    notes: list[str],
    attachments: list[str] = (),  # type: ignore[assignment]
    *,
    meta: dict[str, dict[str, object]] | None = None,
    resolve_aliases: bool = False,
) -> Vault:
    """A vault of empty notes at `notes` (with optional frontmatter) and `attachments`."""
    meta = meta or {}
    built = {
        p: Note(p, 0, 0, "", Frontmatter(present=p in meta, data=meta.get(p)), 1)
        for p in sorted(notes)
    }
    settings = VaultConfig(links=LinksConfig(resolve_aliases=resolve_aliases))
    return Vault(Path("/nonexistent"), Config(settings=settings), built, sorted(attachments))


# (files, link path, source note, expected target, expected reason)
CASES = [
    pytest.param(["Note.md"], "note", "x.md", "Note.md", "unique", id="case-insensitive"),
    pytest.param(["Note.md"], "NOTE.MD", "x.md", "Note.md", "unique", id="md-suffix-any-case"),
    pytest.param(["Note.md"], "Note.md", "x.md", "Note.md", "exact", id="md-optional"),
    pytest.param(["Note.md"], "/Note", "x.md", "Note.md", "exact", id="leading-slash"),
    pytest.param(
        ["a/b/Note.md", "ab/Note.md"],
        "b/Note",
        "x.md",
        "a/b/Note.md",
        "unique",
        id="suffix-whole-components",
    ),
    pytest.param(
        ["a/b/Note.md"], "B/NOTE", "x.md", "a/b/Note.md", "unique", id="suffix-case-insensitive"
    ),
    pytest.param(["ab/Note.md"], "b/Note", "x.md", None, "", id="suffix-not-inside-component"),
    pytest.param(
        ["Note.md", "folder/Note.md"],
        "Note",
        "folder/Src.md",
        "Note.md",
        "exact",
        id="exact-path-beats-same-folder",
    ),
    pytest.param(
        ["folder/Same.md", "z/Same.md"],
        "Same",
        "folder/Src.md",
        "folder/Same.md",
        SAME_FOLDER,
        id="same-folder-beats-shorter",
    ),
    pytest.param(
        ["aaa/Same.md", "b/Same.md"],
        "Same",
        "aaa/x/Src.md",
        "b/Same.md",
        SHORTEST,
        id="ancestor-folder-counts-for-nothing",
    ),
    pytest.param(
        ["a/x/Same.md", "b/Same.md"],
        "Same",
        "a/Src.md",
        "b/Same.md",
        SHORTEST,
        id="subfolder-counts-for-nothing",
    ),
    pytest.param(
        ["p/Short.md", "pp/Short.md"], "Short", "x.md", "p/Short.md", SHORTEST, id="shortest-path"
    ),
    pytest.param(
        ["c/Alpha.md", "b/Alpha.md"], "Alpha", "x.md", "b/Alpha.md", ALPHABETICAL, id="alphabetical"
    ),
    pytest.param(
        ["Café.md"],
        unicodedata.normalize("NFD", "Café"),
        "x.md",
        "Café.md",
        "exact",
        id="nfd-link-nfc-file",
    ),
    pytest.param(["Note.md"], "", "Other.md", "Other.md", "source", id="empty-is-source"),
    pytest.param(
        ["Note.md"], "../Note", "folder/Src.md", "Note.md", "relative", id="relative-markdown-path"
    ),
    pytest.param(
        ["x/Note.md"],
        "./Note",
        "y/Src.md",
        "x/Note.md",
        "unique",
        id="relative-falls-back-vault-wide",
    ),
    pytest.param(["Note.md"], "Missing", "x.md", None, "", id="no-candidate"),
]


@pytest.mark.parametrize(("files", "path", "source", "target", "reason"), CASES)
def test_resolve(files: list[str], path: str, source: str, target: str | None, reason: str) -> None:
    vault = make_vault([*files, source] if source.endswith(".md") else files)
    resolution = vault.resolver.resolve(path, source)
    assert resolution.target == target
    assert resolution.reason == reason


def test_ambiguous_lists_every_candidate_chosen_first() -> None:
    vault = make_vault(["c/Alpha.md", "b/Alpha.md", "dd/Alpha.md"])
    resolution = vault.resolver.resolve("Alpha", "x.md")
    assert resolution.ambiguous
    assert resolution.candidates == ("b/Alpha.md", "c/Alpha.md", "dd/Alpha.md")


def test_exact_match_is_not_ambiguous() -> None:
    vault = make_vault(["Note.md", "folder/Note.md"])
    assert not vault.resolver.resolve("Note", "folder/x.md").ambiguous


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("diagram", None),
        ("diagram.png", "img/diagram.png"),
        ("img/diagram.png", "img/diagram.png"),
        ("DIAGRAM.PNG", "img/diagram.png"),
        ("doc.pdf", "doc.pdf"),
    ],
)
def test_attachment_needs_its_extension(path: str, target: str | None) -> None:
    vault = make_vault(["Note.md"], ["img/diagram.png", "doc.pdf"])
    assert vault.resolver.resolve(path, "Note.md").target == target


def test_note_wins_over_attachment_of_same_stem() -> None:
    vault = make_vault(["diagram.md"], ["diagram.png"])
    assert vault.resolver.resolve("diagram", "x.md").target == "diagram.md"


ALIASED = {"Artificial Intelligence.md": {"aliases": ["AI"], "title": "Artificial Intelligence"}}


def test_alias_is_not_a_target_by_default() -> None:
    vault = make_vault(["Artificial Intelligence.md"], meta=ALIASED)
    assert vault.resolver.resolve("AI", "x.md").target is None


def test_alias_resolves_when_opted_in() -> None:
    vault = make_vault(["Artificial Intelligence.md"], meta=ALIASED, resolve_aliases=True)
    resolution = vault.resolver.resolve("ai", "x.md")
    assert (resolution.target, resolution.reason) == ("Artificial Intelligence.md", "alias")


def test_file_beats_alias_when_opted_in() -> None:
    meta = {"Long.md": {"aliases": ["AI"]}}
    vault = make_vault(["Long.md", "AI.md"], meta=meta, resolve_aliases=True)
    assert vault.resolver.resolve("AI", "x.md").target == "AI.md"


def test_title_is_never_a_target() -> None:
    vault = make_vault(["n1.md"], meta={"n1.md": {"title": "Readable title"}})
    assert vault.resolver.resolve("Readable title", "x.md").target is None


def test_results_are_memoised_per_folder() -> None:
    vault = make_vault(["a/Same.md", "b/Same.md"])
    resolver = vault.resolver
    first = resolver.resolve("Same", "a/one.md")
    assert resolver.resolve("Same", "a/two.md") is first
    assert resolver.resolve("Same", "b/one.md").target == "b/Same.md"


@pytest.mark.parametrize(
    ("path", "suggestion"),
    [
        ("AI", "[[Artificial Intelligence|AI]]"),
        ("Kubernets", "[[Kubernetes]]"),
        ("diagram", "[[diagram.png]]"),
        ("diagramm.png", "[[diagram.png]]"),
        ("Zebra crossing", None),
    ],
)
def test_suggest(path: str, suggestion: str | None) -> None:
    vault = make_vault(
        ["Artificial Intelligence.md", "Kubernetes.md", "a/Other.md"],
        ["img/diagram.png"],
        meta=ALIASED,
    )
    assert vault.resolver.suggest(path) == suggestion


def test_suggest_writes_a_path_when_the_name_is_shared() -> None:
    vault = make_vault(["a/Kubernetes.md", "b/Kubernetes.md"])
    assert vault.resolver.suggest("Kubernets") == "[[a/Kubernetes]]"


def test_resolver_is_built_once_per_vault() -> None:
    vault = make_vault(["Note.md"])
    assert vault.resolver is vault.resolver
    assert isinstance(vault.resolver, Resolver)
