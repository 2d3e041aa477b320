"""`kbtool check` over the real vaults: no traceback, and the metadata findings are true.

Each fact here was verified by reading the notes in ../shared/corpora.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from kbtool.config import build_config
from kbtool.lint.engine import check
from kbtool.vault.load import load_vault

TODAY = dt.date(2026, 11, 26)
UNQUOTED_PLACEHOLDER = re.compile(r"^[^\s:#][^:]*:\s*\{\{")


def _metadata(vault_path: Path, toml: str = "") -> list[tuple[str, int, int, str]]:
    """Metadata findings with the defaults, or with the kbtool.toml text `toml`."""
    vault = load_vault(vault_path, config=build_config(vault_path, tomllib.loads(toml)))
    result = check(vault, select=["KB0", "KB1"], today=TODAY)
    return [(d.path, d.line, d.column, d.code) for d in result.diagnostics]


@pytest.mark.parametrize(
    "name", ["foam-docs", "kepano-obsidian", "obsidian-tasks-docs", "quartz-docs"]
)
def test_full_check_runs_on_every_corpus(corpora: Path, name: str) -> None:
    vault = load_vault(corpora / name / "vault")
    result = check(vault, today=TODAY)
    assert result.notes == len(vault.notes) > 50
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.path in vault.notes


def test_kepano_templates_with_date_placeholders_are_kb002_at_the_line(corpora: Path) -> None:
    # With the templates folder checked (by default .obsidian/templates.json leaves it out).
    vault_path = corpora / "kepano-obsidian" / "vault"
    checked = _metadata(vault_path, '[obsidian]\ntemplates_folder = ""')
    found = {(p, line) for p, line, _, code in checked if code == "KB002"}
    expected = set()
    for template in sorted((vault_path / "Templates").glob("*.md")):
        lines = template.read_text("utf-8").split("\n")
        if lines[0] != "---":
            continue
        close = lines.index("---", 1)
        for number, text in enumerate(lines[1:close], 2):
            if UNQUOTED_PLACEHOLDER.match(text):  # each placeholder, not only the first
                expected.add((f"Templates/{template.name}", number))
    assert len(expected) == 34  # in 28 templates
    assert found == expected


def test_quartz_tags_as_a_string_is_wrong_type(corpora: Path) -> None:
    # features/recent notes.md line 3 is `tags: component`: Obsidian reads it, but it is
    # not a list; the fix offers ["component"].
    findings = _metadata(corpora / "quartz-docs" / "vault")
    assert ("features/recent notes.md", 3, 7, "KB102") in findings
    assert [f for f in findings if f[3] not in ("KB005",)] == [
        ("features/recent notes.md", 3, 7, "KB102")
    ]


def test_tasks_docs_has_valid_frontmatter_everywhere(corpora: Path) -> None:
    findings = _metadata(corpora / "obsidian-tasks-docs" / "vault")
    assert [f for f in findings if f[3] != "KB005"] == []


def test_kepano_types_json_types_last_as_a_date(corpora: Path) -> None:
    # .obsidian/types.json says "last": "date"; References/The Legend of Zelda Breath of
    # the Wild.md:10 is `last: "[[2022-04]]"`, a link: KB102 against Obsidian's type (not
    # KB110 against the other notes). Templates/ (templates.json) is left out: no KB002.
    findings = _metadata(corpora / "kepano-obsidian" / "vault")
    assert [f for f in findings if f[3] != "KB005"] == [
        ("References/The Legend of Zelda Breath of the Wild.md", 10, 7, "KB102")
    ]
