"""The rules' defaults are known without importing a rule module, from a generated table
that must say what the rule modules declare."""

from __future__ import annotations

import pytest

from kbtool.lint import ruletable
from kbtool.lint.registry import TABLE, all_rules, table_source


def test_the_table_is_what_the_registry_generates() -> None:
    """After adding or changing a rule: python -m kbtool.lint.registry"""
    assert TABLE.read_text("utf-8") == table_source()
    assert ruletable.RULES["KB201"] == ("broken-link", "error")
    assert ruletable.RULES["KB104"] == ("unknown-field", "off")


def test_rules_refuse_to_run_with_a_stale_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ruletable.RULES, "KB201", ("broken-link", "warning"))
    with pytest.raises(RuntimeError, match=r"ruletable\.py is out of date: run python -m kbtool"):
        all_rules()
