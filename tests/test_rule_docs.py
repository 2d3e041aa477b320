"""Rule docs come from the registry: `kbtool rules` in text, Markdown and JSON, and the README.

The README's rule tables are the output of `kbtool rules --format md`; they
drifted by hand before (KB108's summary said one thing in the README and
another in `kbtool rules`), so a test holds them together.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool import codes
from kbtool.cli import main
from kbtool.lint.registry import TABLE, Example, all_rules, rule

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kbtool"
CODE_LITERAL = re.compile(r"KB\d{3}")
BLOCK = re.compile(r"<!-- rules:begin (\w+) -->\n.*?<!-- rules:end \1 -->\n", re.S)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_readme_tables_are_the_generated_ones() -> None:
    code, out, _ = run("rules", "--format", "md")
    assert code == 0
    blocks = list(BLOCK.finditer(out))
    assert [m[1] for m in blocks] == ["metadata", "links"]
    generated = [m[0] for m in blocks]
    assert out == "\n".join(generated)  # nothing but the tables
    in_readme = [m[0] for m in BLOCK.finditer((ROOT / "README.md").read_text("utf-8"))]
    assert in_readme == generated


def test_markdown_rows() -> None:
    out = run("rules", "--format", "md")[1]
    lines = out.splitlines()
    assert lines[:3] == [
        "<!-- rules:begin metadata -->",
        "| code | name | default | fix | finds |",
        "|---|---|---|---|---|",
    ]
    assert (
        "| KB108 | type-tag-mismatch | warning |  "
        "| `type: Fact` without the tag `type/fact`, or the reverse |"
    ) in lines
    # a pipe in a summary is escaped, and the fix column says when a fix exists
    assert any(
        line.startswith("| KB201 | broken-link | error | sometimes | ")
        and "`[[Note\\|alias]]`" in line
        for line in lines
    )
    metadata, links = out.split("\n\n")
    assert "| KB901 |" in metadata and "| KB401 |" in links and "| KB201 |" not in metadata
    assert sum(line.startswith("| KB") for line in lines) == 29


def test_json_lists_every_rule_with_its_doc() -> None:
    code, out, _ = run("rules", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [r["code"] for r in data][:3] == ["KB001", "KB002", "KB003"]
    assert len(data) == 29
    wrong_type = next(r for r in data if r["code"] == "KB102")
    assert {k: wrong_type[k] for k in ("name", "default", "family", "fixable", "fix")} == {
        "name": "wrong-type",
        "default": "error",
        "family": "metadata",
        "fixable": True,
        "fix": "sometimes",
    }
    assert wrong_type["doc"]["example"] == {
        "bad": "---\ncreated: 2024-13-01\ntags: kubernetes, networking\n---",
        "good": "---\ncreated: 2024-12-01\ntags: [kubernetes, networking]\n---",
    }
    assert sorted(r["code"] for r in data if r["fixable"]) == ["KB102", "KB201"]
    for r in data:
        doc = r["doc"]
        assert doc["what"] and doc["why"] and doc["what"] != doc["why"], r["code"]
        assert doc["example"]["bad"] != doc["example"]["good"], r["code"]


def test_json_of_one_rule() -> None:
    data = json.loads(run("rules", "KB207", "--format", "json")[1])
    assert [(r["code"], r["name"], r["family"]) for r in data] == [
        ("KB207", "embed-cycle", "links")
    ]


def test_one_rule_in_ruff_shape() -> None:
    code, out, _ = run("rules", "duplicate-key")
    assert code == 0
    assert out == (
        "KB004 duplicate-key (default: error)\n"
        "\n"
        "## What it does\n"
        "A property key that appears twice in the same mapping. The position is the\n"
        "repeated key.\n"
        "\n"
        "## Why is this bad?\n"
        "YAML parsers (and Obsidian) silently keep only the last value, so the first is\n"
        "lost without a warning.\n"
        "\n"
        "## Example\n"
        "```markdown\n"
        "---\ntags: [k8s]\nstatus: draft\ntags: [networking]\n---\n"
        "```\n"
        "\n"
        "Use instead:\n"
        "```markdown\n"
        "---\ntags: [k8s, networking]\nstatus: draft\n---\n"
        "```\n"
        "\n"
        "Fix: none\n"
        "\n"
        "Turn it off for a vault in kbtool.toml:\n"
        "\n"
        "  [rules.severity]\n"
        '  KB004 = "off"\n'
    )
    assert "Fix: safe fix sometimes available (kbtool check --fix)\n" in run("rules", "KB201")[1]


def _code_literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant in `path` that is exactly a rule code."""
    tree = ast.parse(path.read_text("utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CODE_LITERAL.fullmatch(node.value)
    ]


@pytest.mark.parametrize(
    "module",
    [
        "kbtool/notes/parse.py",
        "kbtool/notes/frontmatter.py",
        "kbtool/notes/yamlvalues.py",
        "kbtool/vault/load.py",
        "kbtool/lint/schema.py",
        "kbtool/lint/engine.py",
        "kbtool/index/summary.py",
    ],
)
def test_no_code_literal_below_the_rules(module: str) -> None:
    """The parser, the loader, the schema pass and the engine name codes via `kbtool.codes`."""
    assert _code_literals(ROOT / module) == []


def test_code_literals_only_in_the_codes_table_and_rule_declarations() -> None:
    """Outside `kbtool/codes.py`, a code is written only as the first argument of `@rule`
    (and in the table generated from the registry, which a test holds to it)."""
    stray = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if (path.name == "codes.py" and path.parent == PACKAGE) or path == TABLE:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        declared = {
            id(node.args[0])
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "rule"
            and node.args
        }
        stray += [
            (str(path.relative_to(ROOT)), node.lineno, node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and CODE_LITERAL.fullmatch(node.value)
            and id(node) not in declared
        ]
    assert stray == []


def test_codes_table_agrees_with_the_rules() -> None:
    rules = all_rules()
    assert {name: rules[code].name for name, code in codes.BY_NAME.items()} == {
        name: name for name in codes.BY_NAME
    }
    assert codes.INVALID_YAML == "KB002" and codes.UNKNOWN_FIELD == "KB104"


def test_registry_refuses_a_code_that_disagrees_with_the_table() -> None:
    with pytest.raises(
        RuntimeError, match=re.escape("rule invalid-yaml is KB099, but kbtool.codes says KB002")
    ):
        rule("KB099", "invalid-yaml", "error", "s", why="w", example=Example("b", "g"))


FORWARDED = [  # not unreadable_file: it also reports what the loader skipped (FIFOs, ...)
    "invalid_yaml",
    "frontmatter_not_mapping",
    "duplicate_key",
    "unclosed_frontmatter",
    "missing_required_field",
    "wrong_type",
    "value_not_allowed",
    "unknown_field",
]


@pytest.mark.parametrize("module", FORWARDED)
def test_forwarding_rules_are_one_declaration(module: str) -> None:
    """A rule that only hands on parse or schema problems holds no function of its own."""
    tree = ast.parse((PACKAGE / "lint" / "rules" / f"{module}.py").read_text("utf-8"))
    body = [n for n in tree.body[1:] if not isinstance(n, ast.ImportFrom | ast.Import)]
    assert len(body) == 1
    call = body[0]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
    assert isinstance(call.value.func, ast.Name) and call.value.func.id == "forward"


#: Every rule but KB001, whose example is bytes that are not UTF-8 (tested below).
CHECKED_EXAMPLES = [code for code in all_rules() if code != "KB001"]
FILE_HEADER = re.compile(r"([^:]+\.(?:md|svg|toml)):(?: (.*))?")


def _write_example(root: Path, text: str) -> None:
    """An example as files: `Name.md:` or `kbtool.toml:` (alone or before text) starts a file."""
    files: dict[str, list[str]] = {}
    current = "Kube-proxy.md"
    for line in text.split("\n"):
        header = FILE_HEADER.fullmatch(line)
        if header:
            current = header[1]
            files[current] = [] if header[2] is None else [header[2]]
        else:
            files.setdefault(current, []).append(line)
    for name, lines in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("\n".join(lines) + "\n", "utf-8")


@pytest.mark.parametrize("code", CHECKED_EXAMPLES)
def test_examples_are_true(tmp_path: Path, code: str) -> None:
    """The bad example is reported by its rule and the good one is not."""
    import datetime as dt

    from kbtool.lint.engine import check
    from kbtool.vault.load import load_vault

    example = all_rules()[code].example
    found = {}
    for kind, text in (("bad", example.bad), ("good", example.good)):
        (tmp_path / kind).mkdir()
        _write_example(tmp_path / kind, text)
        # a suppression is judged only against the rules that run
        select = None if code == "KB901" else [code]
        result = check(load_vault(tmp_path / kind), select=select, today=dt.date(2024, 3, 1))
        found[kind] = sum(d.code == code for d in result.diagnostics)
    assert found["bad"] >= 1 and found["good"] == 0, found


def test_multi_file_example_becomes_its_files(tmp_path: Path) -> None:
    _write_example(tmp_path, all_rules()["KB201"].example.bad)
    written = {p.name: p.read_text("utf-8") for p in tmp_path.iterdir()}
    assert written == {
        "Kube-proxy.md": "See [[Service mesh]].\n",
        "Service meshes.md": "Sidecars on every pod.\n",
    }


def test_unreadable_file_example_is_true(tmp_path: Path) -> None:
    """KB001's bad example spells a Latin-1 byte `\\xe9`: written as that byte, it is reported."""
    from kbtool.lint.engine import check
    from kbtool.vault.load import load_vault

    example = all_rules()["KB001"].example
    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    bad = example.bad.encode("ascii").decode("unicode_escape").encode("latin-1")
    assert b"\xe9" in bad
    (tmp_path / "bad" / "Note.md").write_bytes(bad)
    (tmp_path / "good" / "Note.md").write_text(example.good, "utf-8")
    found = {
        kind: [d.code for d in check(load_vault(tmp_path / kind), select=["KB001"]).diagnostics]
        for kind in ("bad", "good")
    }
    assert found == {"bad": ["KB001"], "good": []}
