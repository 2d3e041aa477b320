"""What `check` prints: paths from the current folder, severities, colour, full and
statistics output, SARIF URIs; and the closest name for a mistyped note or rule."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.lint.formats.sarif import project_url

ROOT = Path(__file__).resolve().parent.parent
TODAY = ["--today", "2026-11-26"]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A vault in docs/, checked from the folder above it."""
    root = tmp_path / "docs"
    root.mkdir()
    (root / "kbtool.toml").write_text("", "utf-8")
    (root / "y.md").write_text("---\ntitle: y\n---\nSee\t[[gone]] and [[Note: x]].\n", "utf-8")
    (root / "Note: x.md").write_text("---\ntitle: x\n---\n[[y]] [[y#Nope]]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    return root


def test_text_paths_are_typed_from_the_current_folder(docs: Path) -> None:
    code, out, _ = run("check", "docs", *TODAY, env={"NO_COLOR": "1"})
    assert out.splitlines() == [
        "docs/Note: x.md:4:7: KB203 error: [[y#Nope]]: no heading 'Nope' in y.md",
        "docs/y.md:4:5: KB201 error: [[gone]] matches no note",
        "Checked 2 notes: 2 errors, 0 warnings, 0 infos.",
    ]
    assert code == 1
    _, out, _ = run("check", "docs", "--format", "json", *TODAY)  # the contract: vault-relative
    assert [d["path"] for d in json.loads(out)["diagnostics"]] == ["Note: x.md", "y.md"]


def test_github_annotations_name_the_file_from_the_checkout(docs: Path) -> None:
    _, out, _ = run("check", "docs", "--format", "github", *TODAY)
    assert out.splitlines()[1].startswith("::error file=docs/y.md,line=4,col=5,")


def test_sarif_uris_are_percent_encoded_under_srcroot(docs: Path) -> None:
    _, out, _ = run("check", "docs", "--format", "sarif", *TODAY)
    run_ = json.loads(out)["runs"][0]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run_["results"]]
    assert locations == [
        {"uri": "docs/Note%3A%20x.md", "uriBaseId": "%SRCROOT%"},
        {"uri": "docs/y.md", "uriBaseId": "%SRCROOT%"},
    ]
    base = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == docs.parent.resolve().as_uri() + "/"
    assert "pypi.org" not in out


def test_sarif_information_uri_is_the_declared_repository() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"].get("urls", {})
    assert project_url() == urls.get("Repository")


def test_colour_follows_no_color_and_force_color(docs: Path) -> None:
    _, plain, _ = run("check", "docs", *TODAY)
    _, forced, _ = run("check", "docs", *TODAY, env={"FORCE_COLOR": "1"})
    _, both, _ = run("check", "docs", *TODAY, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "\x1b[" not in both
    assert "\x1b[31m\x1b[1mKB201\x1b[0m \x1b[31merror:\x1b[0m" in forced
    _, stats, _ = run("stats", "docs", env={"FORCE_COLOR": "1"})
    assert "\x1b[1m" in stats  # rich tables, coloured the same way


def test_full_output_shows_the_line_with_a_caret(docs: Path) -> None:
    _, out, _ = run("check", "docs/y.md", "--output-format", "full", *TODAY)
    assert out.splitlines() == [
        "docs/y.md:4:5: KB201 error: [[gone]] matches no note",
        "  |",
        "4 | See\t[[gone]] and [[Note: x]].",
        "  |    \t^^^^^^^^",
        "",
        "Checked 1 note: 1 error, 0 warnings, 0 infos.",
    ]


def test_statistics_count_per_code(docs: Path) -> None:
    (docs / "z.md").write_text("[[a]] [[b]]\n", "utf-8")
    _, out, _ = run("check", "docs", "--statistics", *TODAY)
    assert out.splitlines() == [
        "3  KB201  broken-link          error",
        "1  KB005  missing-frontmatter  warning",
        "1  KB203  missing-heading      error",
        "Checked 3 notes: 4 errors, 1 warning, 0 infos.",
    ]
    code, _, err = run("check", "docs", "--statistics", "--format", "json")
    assert (code, err) == (2, "kbtool: error: --statistics goes with --format text\n")


def test_show_suggests_the_closest_note_name() -> None:
    code, _, err = run("show", "session afinity", "--vault", str(ROOT / "vault"))
    assert code == 2
    assert err.endswith('(did you mean "Session affinity pins a client to one backend Pod"?)\n')


def test_rules_suggests_the_closest_rule() -> None:
    code, _, err = run("rules", "broken-lnk")
    assert (code, err) == (
        2,
        "kbtool: error: no rule 'broken-lnk' (did you mean broken-link (KB201)?"
        " see 'kbtool rules')\n",
    )
