"""`[links]` settings for conventions beyond Obsidian (Foam, GitHub, Quartz), each off by
default, on the hand-written vault `fixtures/conventions` and on the real corpora.

index.md of the fixture: line 3 links GitHub anchors, line 4 Obsidian-style headings,
line 5 Quartz tag pages, line 6 folders (guides/ holds a note, empty/ only a picture,
missing/ does not exist, notes/ has an index.md), line 7 a note to come, line 8
mistakes that stay errors.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from kbtool.config import ConfigError, build_config
from kbtool.lint.engine import check
from kbtool.vault.load import load_vault
from kbtool.vault.subpaths import github_slug

FIXTURE = Path(__file__).parent / "fixtures" / "conventions"
TODAY = dt.date(2026, 11, 26)

Found = tuple[int, int, str]  # (line, column, code) in index.md

GITHUB_ANCHORS = {(3, 17, "KB203"), (3, 48, "KB203"), (3, 68, "KB203"), (4, 53, "KB203")}
OBSIDIAN_ONLY = {(4, 39, "KB203")}  # [[#Draw io]]: "draw io" is Obsidian's, not GitHub's
TAG_PAGES = {(5, 7, "KB201"), (5, 36, "KB201")}  # [[tags/plugin/transformer]], [[tags]]
NOT_A_TAG_PAGE = {(5, 46, "KB201")}  # [[tagsoup]]: "tags/" matches whole components only
FOLDERS_OF_NOTES = {(6, 10, "KB201"), (6, 23, "KB201")}  # [[guides/]], ./guides/
NO_FOLDER_OF_NOTES = {(6, 48, "KB201"), (6, 60, "KB201")}  # [[empty/]], [[missing/]]
FOLDER_WITH_INDEX = {(6, 74, "KB201")}  # [[notes/]]
NOTES_TO_COME = {(7, 16, "KB201"), (7, 33, "KB201")}  # [[Future Note]], [[Future Note#Plan]]
MISTAKES = {
    (8, 11, "KB201"),  # [[Handbook]]: an alias of guides/Guide.md, with a fix
    (8, 25, "KB201"),  # [[paper.pdf]]: a file, not a note
    (8, 40, "KB205"),  # ![[chart.png]]
    (8, 56, "KB203"),  # [[Guide#No such heading]]
    (8, 83, "KB204"),  # [[Guide#^nosuch]]
}
DEFAULT = (
    GITHUB_ANCHORS
    | TAG_PAGES
    | NOT_A_TAG_PAGE
    | FOLDERS_OF_NOTES
    | NO_FOLDER_OF_NOTES
    | FOLDER_WITH_INDEX
    | NOTES_TO_COME
    | MISTAKES
)


def _found(toml: str, root: Path = FIXTURE) -> set[tuple[int, int, str]]:
    vault = load_vault(root, config=build_config(root, tomllib.loads(toml)))
    result = check(vault, select=["KB2"], today=TODAY)
    return {(d.line, d.column, d.code) for d in result.diagnostics}


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[links]\nheading_slugs = "obsidian"', DEFAULT),
        ('[links]\nheading_slugs = "github"', DEFAULT - GITHUB_ANCHORS | OBSIDIAN_ONLY),
        ('[links]\nheading_slugs = "both"', DEFAULT - GITHUB_ANCHORS),
        ('[links]\ngenerated_pages = ["tags/"]', DEFAULT - TAG_PAGES),
        ('[links]\ngenerated_pages = ["/Tags"]', DEFAULT - TAG_PAGES),
        ("[links]\nfolder_pages = true", DEFAULT - FOLDERS_OF_NOTES - FOLDER_WITH_INDEX),
        ('[links]\ngenerated_pages = ["guides/"]', DEFAULT - FOLDERS_OF_NOTES),
    ],
)
def test_each_setting_changes_only_its_own_links(toml: str, expected: set[Found]) -> None:
    assert _found(toml) == expected


def test_allow_unresolved_makes_notes_to_come_infos_and_keeps_the_rest_errors() -> None:
    vault = load_vault(FIXTURE, config=build_config(FIXTURE, {"links": {"allow_unresolved": True}}))
    result = check(vault, select=["KB2"], today=TODAY)
    found = {(d.line, d.column, d.code, d.severity) for d in result.diagnostics}
    infos = {(line, column, "KB208", "info") for line, column, _ in NOTES_TO_COME | TAG_PAGES}
    infos.add((5, 46, "KB208", "info"))  # [[tagsoup]] too: a note not written yet
    errors = {
        (line, column, code, "error")
        for line, column, code in GITHUB_ANCHORS
        | FOLDERS_OF_NOTES
        | NO_FOLDER_OF_NOTES
        | FOLDER_WITH_INDEX
        | MISTAKES
    }
    assert found == infos | errors
    messages = {d.message for d in result.diagnostics if d.code == "KB208"}
    assert "[[Future Note#Plan]]: note 'Future Note' not written yet" in messages


def test_folder_link_reaches_the_folders_index_note() -> None:
    # Quartz shows a folder's index.md as its page: [[notes/]] is then a link to that
    # note (an edge, a backlink); guides/ has none, so [[guides/]] is a generated page.
    config = build_config(FIXTURE, {"links": {"folder_pages": True}})
    resolver = load_vault(FIXTURE, config=config).resolver
    notes = resolver.resolve("notes/", "index.md")
    assert (notes.target, notes.reason, notes.generated) == (
        "notes/index.md",
        "the folder's index.md",
        False,
    )
    guides = resolver.resolve("./guides/", "index.md")
    assert (guides.target, guides.reason, guides.generated) == (None, "folder", True)
    assert [item.note.path for item in resolver.links_to("notes/index.md")] == ["index.md"]


def test_allow_unresolved_leaves_generated_pages_alone() -> None:
    toml = '[links]\nallow_unresolved = true\ngenerated_pages = ["tags/"]'
    found = _found(toml)
    assert (5, 7, "KB208") not in found and (5, 7, "KB201") not in found
    assert (5, 46, "KB208") in found


def test_settings_are_off_by_default_and_checked() -> None:
    links = build_config(FIXTURE, {}).settings.links
    assert (links.heading_slugs, links.generated_pages) == ("obsidian", [])
    assert (links.folder_pages, links.allow_unresolved) == (False, False)
    with pytest.raises(ConfigError, match=r"'links.heading_slugs': Input should be 'obsidian'"):
        build_config(FIXTURE, {"links": {"heading_slugs": "gitlab"}})
    with pytest.raises(ConfigError, match=r"generated page prefixes must not be empty"):
        build_config(FIXTURE, {"links": {"generated_pages": ["/"]}})


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Key Features", "key-features"),
        ("Draw.io", "drawio"),
        ("Foam allows people to work, together.", "foam-allows-people-to-work-together"),
        ("🪴 Get Started", "-get-started"),
        ("`id` values & more", "id-values--more"),
        ("Über_große Straße", "über_große-straße"),
    ],
)
def test_github_slug(heading: str, slug: str) -> None:
    assert github_slug(heading) == slug


# -- the corpora ------------------------------------------------------------------------


def _corpus(root: Path, toml: str) -> set[tuple[str, int, str]]:
    vault = load_vault(root, config=build_config(root, tomllib.loads(toml)))
    result = check(vault, select=["KB2"], today=TODAY)
    return {(d.path, d.line, d.code) for d in result.diagnostics}


def test_foam_docs_with_github_slugs_lose_the_37_false_missing_headings(corpora: Path) -> None:
    root = corpora / "foam-docs" / "vault"
    default = {f for f in _corpus(root, "") if f[2] == "KB203"}
    github = {f for f in _corpus(root, '[links]\nheading_slugs = "github"') if f[2] == "KB203"}
    assert len(default) == 39
    # What is left matches no heading even as a GitHub anchor: (#further-customise-...)
    # for `### Further customise your site` and (#publish-your-site) for `### Building
    # and publishing your site` (generate-material-for-mkdocs-site.md:35 and :39).
    path = "user/recipes/generate-material-for-mkdocs-site.md"
    assert github == {(path, 35, "KB203"), (path, 39, "KB203")}
    assert github <= default


def test_quartz_docs_with_generated_tag_and_folder_pages(corpora: Path) -> None:
    root = corpora / "quartz-docs" / "vault"
    assert len(_corpus(root, "")) == 9
    # [[tags/plugin/transformer]] and co. (configuration.md:78-80, 87) are tag pages;
    # [[advanced/]] and ./features/ are folder pages. Only the wrong heading is left:
    # [[configuration#Layout]] (advanced/creating components.md:224).
    toml = '[links]\ngenerated_pages = ["tags/"]\nfolder_pages = true'
    vault = load_vault(root, config=build_config(root, tomllib.loads(toml)))
    result = check(vault, select=["KB2"], today=TODAY)
    assert [(d.path, d.line, d.code) for d in result.diagnostics] == [
        ("advanced/creating components.md", 224, "KB203")
    ]
    # [[advanced/]] and ./features/ reach advanced/index.md and features/index.md, which
    # were orphans: nothing else links to them.
    orphans = check(vault, select=["KB301"], today=TODAY).diagnostics
    assert {d.path for d in orphans} == {
        "features/darkmode.md",
        "features/reader mode.md",
        "features/upcoming features.md",
        "plugins/index.md",
    }


def test_kepano_with_allow_unresolved_has_only_notes_to_come(corpora: Path) -> None:
    # Its 41 KB201 (templates left out) are all links to notes not written yet.
    root = corpora / "kepano-obsidian" / "vault"
    found = _corpus(root, "[links]\nallow_unresolved = true")
    assert {code for _, _, code in found} == {"KB208"}
    assert len(found) == 41


def test_github_slugs_suggest_an_anchor(tmp_path: Path) -> None:
    (tmp_path / "Note.md").write_text(
        "# Note\n\n[a](#key-feature) [b](#setup-2)\n\n## Key Features\n\n## Setup\n\n## Setup\n",
        "utf-8",
    )
    config = build_config(tmp_path, {"links": {"heading_slugs": "github"}})
    result = check(load_vault(tmp_path, config=config), select=["KB203"], today=TODAY)
    assert [d.message for d in result.diagnostics] == [
        "[a](#key-feature): no heading 'key-feature' in Note.md; did you mean '#key-features'?",
        "[b](#setup-2): no heading 'setup-2' in Note.md; did you mean '#setup'?",
    ]
