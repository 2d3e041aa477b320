"""The `kbtool check` command line: formats, exit statuses, selection, errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main

META = Path(__file__).parent / "fixtures" / "meta"
ARGS = ["--today", "2026-11-26", "--select", "KB0,KB1,KB9,KB104"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    (tmp_path / "A.md").write_text("---\ntitle: A\n---\nSee [[B]].\n", "utf-8")
    (tmp_path / "B.md").write_text("---\ntitle: B\n---\nSee [[A]].\n", "utf-8")
    return tmp_path


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from tests/fixtures, so that paths print as meta/..."""
    monkeypatch.chdir(META.parent)


def test_text_lines_are_sorted_with_summary_and_exit_1(in_fixtures: None) -> None:
    code, out, _ = run("check", "meta", *ARGS)
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == (
        "meta/Bad interval.md:6:18: KB111 error: review_interval: 'soon' is not a duration;"
        " expected a whole number of days, 30d, 6w, 3m, 1y or ISO 8601 such as P30D"
    )
    assert lines[-1] == "Checked 27 notes: 18 errors, 10 warnings, 0 infos."


def test_clean_vault_exits_0_with_one_line(clean: Path) -> None:
    code, out, _ = run("check", str(clean), "--today", "2026-11-26")
    assert (code, out) == (0, "Checked 2 notes: 0 errors, 0 warnings, 0 infos.\n")


def test_json_format_is_the_contract() -> None:
    code, out, _ = run("check", str(META), *ARGS, "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert set(doc) == {"kbtool", "vault", "summary", "diagnostics"}
    assert doc["vault"] == str(META.resolve())
    assert doc["summary"] == {
        "notes": 27,
        "attachments": 0,
        "errors": 18,
        "warnings": 10,
        "infos": 0,
    }
    first = doc["diagnostics"][0]
    assert list(first) == [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "name",
        "severity",
        "message",
        "fix",
    ]
    assert (first["path"], first["code"], first["name"]) == (
        "Bad interval.md",
        "KB111",
        "invalid-review-interval",
    )


def test_github_format(in_fixtures: None) -> None:
    _, out, _ = run("check", "meta", *ARGS, "--format", "github")
    assert out.splitlines()[0].startswith(
        "::error file=meta/Bad interval.md,line=6,col=18,endLine=6,endColumn=18,"
        "title=kbtool (KB111)::"
        "review_interval: 'soon' is not a duration"
    )
    assert "::warning file=meta/Bom crlf.md,line=6,col=10," in out


def test_sarif_format_lists_rules_and_results(in_fixtures: None) -> None:
    _, out, _ = run("check", "meta", *ARGS, "--format", "sarif")
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    run_ = doc["runs"][0]
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert "KB111" in rule_ids and "KB201" not in rule_ids
    res = run_["results"][0]
    assert res["ruleId"] == "KB111"
    assert rule_ids[res["ruleIndex"]] == "KB111"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "meta/Bad%20interval.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 6 and loc["region"]["startColumn"] == 18


def test_ignore_prefix_and_exit_zero() -> None:
    code, out, _ = run("check", str(META), *ARGS, "--ignore", "KB1", "--exit-zero")
    assert code == 0
    assert " KB1" not in out.replace("Checked", "")


def test_error_on_warning(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("no frontmatter\n", "utf-8")
    assert run("check", str(tmp_path), "--select", "KB005")[0] == 0
    assert run("check", str(tmp_path), "--select", "KB005", "--error-on-warning")[0] == 1


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run("check", str(META), *ARGS, "--format", "json", "-o", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text("utf-8"))["summary"]["errors"] == 18


def test_missing_vault_exits_2_with_one_line(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope"))
    assert code == 2
    assert err.count("\n") == 1 and "no such vault" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ("exclude = [", "invalid TOML"),
        ("[schema]\nrequire_typ = true\n", "unknown key 'schema.require_typ'"),
        ('[rules]\nselect = ["KB999"]\n', "kbtool.toml: [rules] select: 'KB999' names no rule"),
        ('[rules]\nignore = ["KB999"]\n', "kbtool.toml: [rules] ignore: 'KB999' names no rule"),
        ('[rules.severity]\nKB201 = "loud"\n', "rules.severity.KB201"),
        ('[review]\ndefault_interval = "soon"\n', "'review.default_interval': 'soon' is not a"),
        # 2,000 nested arrays or inline tables: tomllib recurses once per level
        ("x = " + "[" * 2000 + "]" * 2000, "invalid TOML: arrays or tables nested too deeply"),
        ("x = " + "{a = " * 2000 + "1" + "}" * 2000, "invalid TOML: arrays or tables nested"),
    ],
)
def test_bad_config_exits_2(tmp_path: Path, toml: str, words: str) -> None:
    (tmp_path / "kbtool.toml").write_text(toml, "utf-8")
    code, _, err = run("check", str(tmp_path))
    assert code == 2
    assert words in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_unknown_select_code_exits_2(clean: Path) -> None:
    code, _, err = run("check", str(clean), "--select", "KB77")
    assert code == 2 and "--select: 'KB77' names no rule" in err


def test_bad_today_is_a_usage_error(clean: Path) -> None:
    code, _, err = run("check", str(clean), "--today", "tomorrow")
    assert code == 2 and "YYYY-MM-DD" in err


def test_rules_lists_and_explains() -> None:
    code, out, _ = run("rules")
    assert code == 0
    assert any(line.startswith("KB102  wrong-type") for line in out.splitlines())
    code, out, _ = run("rules", "wrong-type")
    assert code == 0 and out.startswith("KB102 wrong-type (default: error)")
    assert run("rules", "KB999")[0] == 2


def test_python_dash_m(clean: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "kbtool", "check", str(clean)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Checked 2 notes")
