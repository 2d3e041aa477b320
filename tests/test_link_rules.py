"""Every link form of obsidian-links.md and KB201-KB207, KB301, KB302, end to end.

The `links` fixture vault puts one link per line in `Source.md`, so each case
names its line; `load_vault` parses it with the real scanner, the resolver
resolves it, and the rules report it with code, line and column.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from kbtool.config import Config, LinksConfig, VaultConfig
from kbtool.lint.context import RuleContext
from kbtool.lint.engine import check
from kbtool.lint.registry import all_rules
from kbtool.vault.load import Vault, load_vault
from kbtool.vault.resolve import ResolvedLink

FIXTURE = Path(__file__).parent / "fixtures" / "links"
TODAY = dt.date(2026, 11, 26)
CAFE_NFD = unicodedata.normalize("NFD", "Café")


@pytest.fixture(scope="module")
def vault(links_vault: Vault) -> Vault:
    return links_vault


def link_at(vault: Vault, path: str, line: int) -> ResolvedLink:
    found = [r for r in vault.resolver.links_from(path) if r.link.line == line]
    assert len(found) == 1, f"expected one link on {path}:{line}, found {found}"
    return found[0]


# (note, line, column, link kind, path as written, subpath, resolved target)
FORMS = [
    pytest.param("Source.md", 3, 6, "property", "Note", "", "Note.md", id="property-link"),
    pytest.param(
        "Source.md", 4, 13, "property", "Missing prop", "", None, id="property-link-in-list-broken"
    ),
    pytest.param("Source.md", 8, 1, "link", "note", "", "Note.md", id="case-insensitive"),
    pytest.param("Source.md", 9, 1, "link", "Note.md", "", "Note.md", id="md-optional"),
    pytest.param(
        "Source.md", 10, 1, "link", "b/Deep", "", "a/b/Deep.md", id="suffix-on-whole-components"
    ),
    pytest.param("Source.md", 11, 1, "link", "Short", "", "p/Short.md", id="shortest-path"),
    pytest.param("Source.md", 12, 1, "link", "Alpha", "", "b/Alpha.md", id="alphabetical"),
    pytest.param("Source.md", 13, 1, "link", CAFE_NFD, "", "Café.md", id="nfd-vs-nfc"),
    pytest.param("Source.md", 14, 1, "link", "diagram", "", None, id="attachment-needs-extension"),
    pytest.param(
        "Source.md",
        15,
        1,
        "link",
        "img/diagram.png",
        "",
        "img/diagram.png",
        id="attachment-exact-path",
    ),
    pytest.param(
        "Source.md",
        16,
        1,
        "embed",
        "diagram.png",
        "",
        "img/diagram.png",
        id="image-size-not-display-name",
    ),
    pytest.param("Source.md", 17, 1, "embed", "doc.pdf", "#page=3", "doc.pdf", id="pdf-page"),
    pytest.param("Source.md", 18, 1, "link", "AI", "", None, id="alias-not-a-target"),
    pytest.param(
        "Source.md", 19, 1, "link", "Note", "#wifi 2 4 vs 5 0", "Note.md", id="strip-heading"
    ),
    pytest.param(
        "Source.md", 20, 1, "link", "Note", "#property", "Note.md", id="heading-case-insensitive"
    ),
    pytest.param("Source.md", 21, 1, "link", "Note", "#Top#Sub", "Note.md", id="chained-heading"),
    pytest.param("Source.md", 24, 1, "link", "Note", "#^ABC123", "Note.md", id="block-id"),
    pytest.param("Source.md", 26, 1, "link", "", "#Local", "Source.md", id="same-note-heading"),
    pytest.param("Source.md", 28, 1, "link", "", "#^src1", "Source.md", id="same-note-block"),
    pytest.param("Source.md", 29, 1, "embed", "missing.png", "", None, id="missing-attachment"),
    pytest.param("Source.md", 31, 1, "link", "Source", "", "Source.md", id="self-link"),
    pytest.param(
        "Source.md",
        32,
        1,
        "link",
        "Other Note.md",
        "",
        "Other Note.md",
        id="markdown-percent-encoded",
    ),
    pytest.param(
        "Source.md",
        33,
        1,
        "link",
        "Other Note.md",
        "",
        "Other Note.md",
        id="markdown-angle-brackets",
    ),
    pytest.param(
        "folder/Src.md", 4, 1, "link", "Twin", "", "Twin.md", id="exact-path-over-same-folder"
    ),
    pytest.param(
        "folder/Src.md", 5, 1, "link", "Same", "", "folder/Same.md", id="same-folder-preferred"
    ),
    pytest.param(
        "folder/Src.md", 6, 1, "link", "../Note.md", "", "Note.md", id="markdown-relative-path"
    ),
]


@pytest.mark.parametrize(("note", "line", "column", "kind", "path", "subpath", "target"), FORMS)
def test_link_forms_resolve(
    vault: Vault,
    note: str,
    line: int,
    column: int,
    kind: str,
    path: str,
    subpath: str,
    target: str | None,
) -> None:
    item = link_at(vault, note, line)
    assert (item.link.column, item.link.kind, item.link.path) == (column, kind, path)
    assert item.link.subpath == subpath
    assert item.target == target


def test_image_size_is_kept_as_display(vault: Vault) -> None:
    assert link_at(vault, "Source.md", 16).link.display == "100x145"


def test_external_and_code_are_not_links(vault: Vault) -> None:
    lines = {r.link.line for r in vault.resolver.links_from("Source.md")}
    assert 34 not in lines  # [web](https://example.com/x.md)
    assert 35 not in lines  # `[[in code]]`


# (note, line, column, code, words the message must contain)
EXPECTED = [
    ("Broken only.md", 4, 5, "KB201", "[[Nothing here]] matches no note"),
    ("Source.md", 4, 13, "KB201", "[[Missing prop]] matches no note"),
    ("Source.md", 11, 1, "KB202", "Obsidian opens p/Short.md (the shortest path), not pp/Short.md"),
    ("Source.md", 12, 1, "KB202", "opens b/Alpha.md (first alphabetically), not c/Alpha.md"),
    ("Source.md", 14, 1, "KB201", "[[diagram]] matches no note; did you mean [[diagram.png]]?"),
    (
        "Source.md",
        18,
        1,
        "KB201",
        "alias of Artificial Intelligence.md, but aliases are not "
        "link targets: write [[Artificial Intelligence|AI]]",
    ),
    (
        "Source.md",
        22,
        1,
        "KB203",
        "no heading 'Sub' under 'Other' in Note.md; did you mean '#Top#Sub'?",
    ),
    ("Source.md", 23, 1, "KB203", "[[Note#Nowhere]]: no heading 'Nowhere' in Note.md"),
    ("Source.md", 25, 1, "KB204", "[[Note#^nope]]: no block ^nope in Note.md"),
    ("Source.md", 27, 1, "KB203", "[[#Missing local]]: no heading 'Missing local' in Source.md"),
    ("Source.md", 29, 1, "KB205", "![[missing.png]]: no file 'missing.png' in the vault"),
    ("Source.md", 30, 1, "KB201", "[[Missing note]] matches no note"),
    ("Source.md", 31, 1, "KB206", "[[Source]] links the note to itself"),
    (
        "folder/Src.md",
        5,
        1,
        "KB202",
        "opens folder/Same.md (the only note in the same folder as "
        "the source), not z/Same.md: write [[folder/Same]] to say which",
    ),
    ("loop/Loop A.md", 4, 1, "KB207", "loop/Loop A.md -> loop/Loop B.md -> loop/Loop A.md"),
    ("loop/Loop D.md", 6, 1, "KB207", "embed loop: loop/Loop D.md -> loop/Loop D.md"),
    *[
        (path, 1, 1, "KB301", "no note links here and it links to nothing")
        for path in (
            "Artificial Intelligence.md",
            "Lonely.md",
            "ab/Deep.md",
            "c/Alpha.md",
            "folder/Twin.md",
            "loop/Loop C.md",
            "loop/Loop D.md",
            "pp/Short.md",
            "z/Same.md",
        )
    ],
    *[
        (path, 1, 1, "KB302", f"another note has the same name: {other}")
        for path, other in (
            ("Twin.md", "folder/Twin.md"),
            ("folder/Twin.md", "Twin.md"),
            ("a/b/Deep.md", "ab/Deep.md"),
            ("ab/Deep.md", "a/b/Deep.md"),
            ("b/Alpha.md", "c/Alpha.md"),
            ("c/Alpha.md", "b/Alpha.md"),
            ("folder/Same.md", "z/Same.md"),
            ("z/Same.md", "folder/Same.md"),
            ("p/Short.md", "pp/Short.md"),
            ("pp/Short.md", "p/Short.md"),
        )
    ],
]
LINK_CODES = ["KB201", "KB202", "KB203", "KB204", "KB205", "KB206", "KB207", "KB301", "KB302"]


@pytest.fixture(scope="module")
def diagnostics(vault: Vault) -> list[tuple[str, int, int, str, str]]:
    result = check(vault, select=LINK_CODES, today=TODAY)
    return [(d.path, d.line, d.column, d.code, d.message) for d in result.diagnostics]


@pytest.mark.parametrize(("note", "line", "column", "code", "words"), EXPECTED)
def test_check_reports(
    diagnostics: list[tuple[str, int, int, str, str]],
    note: str,
    line: int,
    column: int,
    code: str,
    words: str,
) -> None:
    found = [d for d in diagnostics if d[:4] == (note, line, column, code)]
    assert found, f"no {code} at {note}:{line}:{column}"
    assert words in found[0][4]


def test_check_reports_nothing_else(diagnostics: list[tuple[str, int, int, str, str]]) -> None:
    """Every other link of the fixture is fine: no false positive anywhere."""
    assert sorted(d[:4] for d in diagnostics) == sorted(e[:4] for e in EXPECTED)


@pytest.mark.parametrize("code", LINK_CODES)
def test_rule_functions_directly(vault: Vault, code: str) -> None:
    """The rule functions, without check(), find exactly the expected places."""
    rule = all_rules()[code]
    found = sorted((f.path, f.line, f.column) for f in rule.check(RuleContext(vault, TODAY)))
    assert found == sorted(e[:3] for e in EXPECTED if e[3] == code)


def test_severities_and_defaults(vault: Vault) -> None:
    by_code = {d.code: d for d in check(vault, today=TODAY).diagnostics}
    assert "KB206" not in by_code  # off by default
    assert by_code["KB201"].severity == "error"
    assert by_code["KB202"].severity == "warning"
    assert by_code["KB205"].severity == "error"
    assert by_code["KB207"].severity == "warning"
    assert by_code["KB302"].severity == "info"


def test_span_covers_the_link(vault: Vault) -> None:
    result = check(vault, select=["KB201"], today=TODAY)
    diag = next(d for d in result.diagnostics if d.path == "Source.md" and d.line == 14)
    assert (diag.end_line, diag.end_column) == (14, 1 + len("[[diagram]]"))


def test_aliases_resolve_when_opted_in() -> None:
    config = Config(settings=VaultConfig(links=LinksConfig(resolve_aliases=True)))
    vault = load_vault(FIXTURE, config=config)
    assert link_at(vault, "Source.md", 18).target == "Artificial Intelligence.md"
    lines = [d.line for d in check(vault, select=["KB201"]).diagnostics if d.path == "Source.md"]
    assert 18 not in lines


def test_resolution_shared_by_rules_and_graph(vault: Vault) -> None:
    """One resolution per link, computed once: the rules and the graph see the same list."""
    assert vault.resolver.resolved_links() is vault.resolver.resolved_links()
    assert vault.graph.number_of_edges() == len(vault.resolver.resolved_links())
