"""A large check runs its rules in two processes (this one and a forked copy) and finds
exactly what one process finds, in the same order; a copy that fails, dies or is
interrupted costs nothing but time. Real forks, real pipes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time
from typing import Any

import pytest
from benchmark_scripts import load_script

from kbtool.lint import split
from kbtool.lint.context import RuleContext
from kbtool.lint.engine import effective_severities
from kbtool.lint.rulerun import Found, run_rules
from kbtool.model import Finding
from kbtool.vault import pool
from kbtool.vault.load import Vault, load_vault
from tests.conftest import FIXTURES, corpus_vaults

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Vault:
    """450 generated seed-shaped notes: broken, ambiguous and heading links among them."""
    out = tmp_path_factory.mktemp("generated") / "vault"
    load_script("generate_vault").generate(450, out, seed=5)
    return load_vault(out)


def _one_process(vault: Vault) -> dict[str, Found]:
    severities = effective_severities(vault)
    return run_rules(RuleContext(vault, TODAY), severities, list(severities))


def _split(vault: Vault, share: float) -> dict[str, Found]:
    severities = effective_severities(vault)
    return split.split_rules(RuleContext(vault, TODAY), severities, list(severities), share)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What each copy answered (None: it failed), so a test knows the copy did its part."""
    seen: list[Any] = []
    result = split._Copy.result

    def recorded(self: split._Copy) -> object | None:
        seen.append(result(self))
        return seen[-1]

    monkeypatch.setattr(split._Copy, "result", recorded)
    return seen


def test_findings_merge_by_rule_order_within_each_path() -> None:
    def f(path: str, line: int) -> Finding:
        return Finding(path, line, 1, "m")

    vault_rules = {"a.md": [("KB301", f("a.md", 1))]}
    mine = {"a.md": [("KB201", f("a.md", 9)), ("KB201", f("a.md", 2))], "b.md": []}
    theirs = {"c.md": [("KB203", f("c.md", 1))], "a.md": [("KB102", f("a.md", 5))]}
    merged = split.merged((vault_rules, mine, theirs), ["KB102", "KB201", "KB203", "KB301"])
    assert merged == {
        "a.md": [
            ("KB102", f("a.md", 5)),
            ("KB201", f("a.md", 9)),  # a rule's own order is kept, even unsorted
            ("KB201", f("a.md", 2)),
            ("KB301", f("a.md", 1)),
        ],
        "b.md": [],
        "c.md": [("KB203", f("c.md", 1))],
    }


@pytest.mark.parametrize("share", [0.0, 0.3, 0.5, 1.0])
def test_any_share_finds_what_one_process_finds(
    generated: Vault, share: float, answers: list[Any]
) -> None:
    one = _one_process(generated)
    assert sum(len(items) for items in one.values()) > 50  # many rules found something
    assert _split(generated, share) == one
    assert len(answers) == 1 and answers[0] is not None  # the copy answered
    findings, inputs, _hints = answers[0]
    assert set(inputs) == {"KB301"}  # orphans: made from each note's links out
    if share < 1.0:
        assert findings  # and found something in its notes
        assert len(inputs["KB301"]) == len(generated.notes) - int(len(generated.notes) * share)


def test_the_copys_hints_are_kept_here(generated: Vault, answers: list[Any]) -> None:
    """A check that stores its state stores the "did you mean" hints made, so that a later
    check of one note needs no index of names: those the copy made come back with its
    findings and join this process's (here the copy has every note)."""
    vault = load_vault(generated.root)
    _split(vault, 0.0)
    hints = answers[0][2]
    assert len(hints) > 5 and any(hints.values())
    assert vault.resolver.suggestions() == hints


def test_the_fixture_and_corpus_vaults_split_the_same(
    answers: list[Any],
) -> None:
    for root in [FIXTURES / "links", FIXTURES / "meta", *corpus_vaults()]:
        vault = load_vault(root)
        assert _split(vault, 0.4) == _one_process(vault), root
    assert answers and all(answer is not None for answer in answers)


def test_a_copy_that_fails_is_done_here(
    generated: Vault, monkeypatch: pytest.MonkeyPatch, answers: list[Any]
) -> None:
    start = split._Copy.start

    def failing(work: object) -> split._Copy | None:
        return start(lambda: {"x": 1 / 0})

    monkeypatch.setattr(split._Copy, "start", staticmethod(failing))
    assert _split(generated, 0.3) == _one_process(generated)
    assert answers == [None]


def test_an_answer_of_the_wrong_shape_is_done_here(
    generated: Vault, monkeypatch: pytest.MonkeyPatch, answers: list[Any]
) -> None:
    start = split._Copy.start
    monkeypatch.setattr(split._Copy, "start", staticmethod(lambda work: start(lambda: ["x"])))
    assert _split(generated, 0.3) == _one_process(generated)
    assert answers == [["x"]]


def test_what_a_copy_answers_is_checked() -> None:
    def dies() -> dict[str, Found]:
        os.kill(os.getpid(), signal.SIGKILL)
        return {}

    def answer_of(work: object) -> tuple[object, int | None]:
        copy = split._Copy.start(work)  # type: ignore[arg-type]
        assert copy is not None
        try:
            return copy.result(), copy.status
        finally:
            copy.close()

    assert answer_of(lambda: {"a.md": []}) == ({"a.md": []}, 0)
    assert answer_of(lambda: {"x": 1 / 0}) == (None, 1)  # it raised
    assert answer_of(lambda: ["not", "findings"]) == (["not", "findings"], 0)
    assert answer_of(dies) == (None, -signal.SIGKILL)


def test_an_interrupted_check_stops_its_copy() -> None:
    copy = split._Copy.start(lambda: time.sleep(60) or {})  # type: ignore[func-returns-value]
    assert copy is not None
    copy.close()  # what `finally` does when this process is interrupted
    assert copy.status == -signal.SIGKILL


def test_no_fork_beside_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pool.ENV, "on")
    assert split._can_fork(10)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not split._can_fork(10)  # its locks would be the copy's, held forever
    finally:
        stop.set()
        other.join()
    monkeypatch.setenv(pool.ENV, "off")
    assert not split._can_fork(10**6)


def test_a_check_of_some_notes_runs_in_one_process(
    generated: Vault, monkeypatch: pytest.MonkeyPatch, answers: list[Any]
) -> None:
    monkeypatch.setenv(pool.ENV, "on")
    severities = effective_severities(generated)
    some = list(generated.notes.values())[:50]
    ctx = RuleContext(generated, TODAY, some)
    assert split.run_rules_split(ctx, severities, list(severities)) == run_rules(
        RuleContext(generated, TODAY, some), severities, list(severities)
    )
    assert answers == []
    whole = split.run_rules_split(RuleContext(generated, TODAY), severities, list(severities))
    assert whole == _one_process(generated)
    assert len(answers) == 1 and answers[0][0]  # a check of every note did split
