"""KB001 to KB111 and KB901 on the hand-written `meta` fixture vault: code, line and column."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest

from kbtool.lint.engine import check
from kbtool.model import SetProperty
from kbtool.vault.load import load_vault

TODAY = dt.date(2026, 11, 26)

# (path, line, column, code, words the message must contain)
EXPECTED = [
    ("Bad interval.md", 6, 18, "KB111", "'soon' is not a duration"),
    # the placeholder {{date}} is reported at its key; the rest of the frontmatter is read
    ("Bad yaml.md", 1, 1, "KB101", "required field 'tags' is missing"),
    ("Bad yaml.md", 4, 11, "KB002", "found unhashable key"),
    ("Badtag.md", 7, 5, "KB109", "'has space' contains white space"),
    ("Badtag.md", 8, 5, "KB109", "'1984' is only digits"),
    ("Binary.md", 1, 15, "KB001", "binary content"),
    ("Bom crlf.md", 6, 10, "KB102", "'version': 'x' is text; expected a whole number"),
    ("Bom crlf.md", 6, 10, "KB110", "'version' is text here but number"),
    ("Dup.md", 7, 1, "KB004", "key 'status' appears again (first on line 4)"),
    ("Future.md", 4, 10, "KB106", "'created' 2027-01-01 is after today"),
    ("Interval2.md", 6, 18, "KB110", "'review_interval' is number here but text in 3 of 4"),
    ("Kind.md", 3, 7, "KB103", "type 'Fiction' is not a declared note type"),
    ("Latin1.md", 4, 4, "KB001", "not UTF-8: byte 0xe9"),
    ("List fm.md", 2, 1, "KB003", "is a list, not a mapping"),
    ("Missing.md", 1, 1, "KB101", "required field 'created' is missing"),
    ("No fm.md", 1, 1, "KB005", "no frontmatter"),
    ("No fm.md", 1, 1, "KB101", "missing required field 'type'"),
    ("Order.md", 5, 11, "KB105", "'modified' 2025-02-01 is before 'created' 2025-03-01"),
    ("Status.md", 6, 9, "KB103", "'status' is 'published'; allowed: draft, active"),
    ("Suppressed.md", 8, 1, "KB901", "suppression of KB105 silenced nothing"),
    ("Tagless.md", 3, 1, "KB108", "type 'Fact' without the tag 'type/fact'"),
    ("Title.md", 2, 8, "KB107", "'Another title' differs from the file name 'Title'"),
    ("Twotypes.md", 5, 1, "KB108", "tag 'type/moc' does not match"),
    ("Unclosed.md", 1, 1, "KB006", "never closed"),
    ("Unknown.md", 6, 1, "KB104", "unknown field 'colour'"),
    ("Untyped.md", 1, 1, "KB101", "missing required field 'type'"),
    ("Wrong.md", 6, 10, "KB102", "'version': 0 is a number; expected a whole number"),
    ("Wrong.md", 7, 10, "KB102", "'aliases': 'Wrong alias' is text; expected a YAML list"),
]


@pytest.fixture(scope="module")
def result():
    vault = load_vault(Path(__file__).parent / "fixtures" / "meta")
    return check(vault, select=["KB0", "KB1", "KB9", "KB104"], today=TODAY)


def test_exactly_the_expected_findings(result) -> None:
    found = [(d.path, d.line, d.column, d.code) for d in result.diagnostics]
    assert found == [e[:4] for e in EXPECTED]


@pytest.mark.parametrize(
    ("path", "line", "column", "code", "words"), EXPECTED, ids=[f"{e[3]}-{e[0]}" for e in EXPECTED]
)
def test_each_finding(result, path: str, line: int, column: int, code: str, words: str) -> None:
    matches = [
        d
        for d in result.diagnostics
        if (d.path, d.line, d.column, d.code) == (path, line, column, code)
    ]
    assert len(matches) == 1
    assert words in matches[0].message


def test_every_metadata_code_is_covered() -> None:
    codes = {e[3] for e in EXPECTED}
    assert codes == {f"KB00{i}" for i in range(1, 7)} | {f"KB1{i:02d}" for i in range(1, 12)} | {
        "KB901"
    }


def test_severities_follow_the_contract(result) -> None:
    by_code = {d.code: d.severity for d in result.diagnostics}
    assert by_code["KB005"] == "warning"
    assert by_code["KB104"] == "warning"  # turned on in kbtool.toml
    assert by_code["KB102"] == "error"
    assert by_code["KB110"] == "warning"


def test_excluded_templates_are_not_loaded() -> None:
    vault = load_vault(Path(__file__).parent / "fixtures" / "meta")
    assert not any(p.startswith("Templates/") for p in vault.notes)


def test_per_path_ignore_hides_codes_by_prefix(result) -> None:
    assert not [d for d in result.diagnostics if d.path.startswith("sub/")]


def test_frontmatter_suppression_silences_the_next_line(result) -> None:
    assert not [d for d in result.diagnostics if d.path == "Suppressed.md" and d.code == "KB106"]


def test_tags_string_offers_a_list_fix(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("---\ntags: a, b c\n---\n", encoding="utf-8")
    result = check(load_vault(tmp_path), select=["KB102"], today=TODAY)
    [diag] = result.diagnostics
    assert (diag.line, diag.column) == (2, 7)
    assert diag.fix == SetProperty("write tags as a list", "tags", "[a, b, c]", ["a", "b", "c"])


def test_untyped_notes_get_only_generic_checks(tmp_path: Path) -> None:
    """Without kbtool.toml a note without `type` is not held to the seed's required fields."""
    (tmp_path / "plain.md").write_text("---\nfoo: bar\ncreated: not a date\n---\n", "utf-8")
    result = check(load_vault(tmp_path), select=["KB1"], today=TODAY)
    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [("KB102", 3, 10)]


def test_typed_note_gets_the_seed_schema_without_config(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("---\ntype: Fact\ntags: [type/fact]\n---\n", "utf-8")
    result = check(load_vault(tmp_path), select=["KB101"], today=TODAY)
    assert [d.message for d in result.diagnostics] == [
        "required field 'title' is missing (required for type 'Fact')",
        "required field 'created' is missing (required for type 'Fact')",
    ]


def test_the_seed_note_passes_the_seed_schema(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[2] / "shared" / "reference" / "seed-note.md"
    if not seed.exists():
        pytest.skip("../shared/reference/seed-note.md not found")
    name = "Kubernetes provides NodePort and LoadBalancer for external service access.md"
    (tmp_path / name).write_bytes(seed.read_bytes())
    result = check(load_vault(tmp_path), select=["KB0", "KB1"], today=TODAY)
    assert result.diagnostics == []


def test_fields_named_like_a_models_own_attributes_are_validated(tmp_path: Path) -> None:
    """A property named `json`, `copy` or `_draft` is a field like any other: a pydantic
    model took such names for its own (`_draft` went unvalidated, `json` warned on
    stderr), and the validators are no models."""
    (tmp_path / "kbtool.toml").write_text(
        '[schema]\nrequired = []\n[schema.fields]\njson = "number"\ncopy = "date"\n'
        '_draft = "checkbox"\nmodel_config = "list"\n',
        encoding="utf-8",
    )
    (tmp_path / "Note.md").write_text(
        "---\ntype: Concept\ntags: [type/concept]\njson: text\ncopy: soon\n_draft: maybe\n"
        "model_config: 3\n---\n# Note\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = check(load_vault(tmp_path), today=TODAY, select=["KB102"])
    assert [str(w.message) for w in caught] == []
    found = [(d.line, d.code, d.message.split(":")[0]) for d in result.diagnostics]
    assert found == [
        (4, "KB102", "'json'"),
        (5, "KB102", "'copy'"),
        (6, "KB102", "'_draft'"),
        (7, "KB102", "'model_config'"),
    ]
