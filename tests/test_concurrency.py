"""Runs at the same time on one vault and one parse cache: two `check`, two `review done`
(fsrs mode) and a `stats`, 20 rounds. All succeed, no review is lost, the cache stays valid.

Each of the five is a separate process that runs its command 20 times in a row (one
interpreter each, to keep the test's time modest on a small machine), all five at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kbtool.vault.cache import cache_path
from kbtool.vault.load import load_vault

ROUNDS = 20
START = dt.date(2026, 1, 1)
NOTE = "---\ntitle: {0}\ncreated: 2025-12-01\nlast_reviewed: 2025-12-01\n---\nSee [[{1}]].\n"

#: One actor: run `kbtool ARGS` ROUNDS times; `{day}` in ARGS is START plus the round.
ACTOR = """
import datetime as dt, sys
from kbtool.cli import main
rounds, start, args = int(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]), sys.argv[3:]
codes = []
for i in range(rounds):
    day = (start + dt.timedelta(days=i)).isoformat()
    try:
        main([a.replace("{day}", day) for a in args], prog_name="kbtool")
    except SystemExit as exit:
        codes.append(exit.code or 0)
    else:
        codes.append(0)
print("CODES", *codes, file=sys.stderr)
"""


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    names = ["A", "B", "C", "D"]
    for name, other in zip(names, names[1:] + names[:1], strict=True):
        (root / f"{name}.md").write_text(NOTE.format(name, other), "utf-8")
    (root / "kbtool.toml").write_text(
        '[review]\nmode = "fsrs"\n[schema]\nrequired = ["title"]\n', "utf-8"
    )
    return root


@pytest.mark.skipif(os.name != "posix", reason="flock")
def test_two_checks_two_reviews_and_stats_at_once(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path / "cache"))  # this test's cache alone
    env = {**os.environ, "NO_COLOR": "1"}
    v = str(vault)
    actors = [
        ["check", v],
        ["check", v, "--format", "json"],
        ["review", "done", "A", "--rating", "good", "--today", "{day}", "--vault", v],
        ["review", "done", "B", "--rating", "hard", "--today", "{day}", "--vault", v],
        ["stats", v],
    ]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ACTOR, str(ROUNDS), START.isoformat(), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for args in actors
    ]
    for proc, args in zip(procs, actors, strict=True):
        _, err = proc.communicate(timeout=300)
        codes = err.splitlines()[-1]
        assert codes == "CODES " + " ".join(["0"] * ROUNDS), (args, err)

    log = json.loads((vault / ".kbtool" / "reviews.json").read_text("utf-8"))
    days = [(START + dt.timedelta(days=i)).isoformat() for i in range(ROUNDS)]
    for note in ("A.md", "B.md"):
        assert [r["date"] for r in log["reviews"] if r["path"] == note] == days
    assert sorted(log["cards"]) == ["A.md", "B.md"]
    assert len(log["reviews"]) == 2 * ROUNDS
    for note in ("A", "B"):
        text = (vault / f"{note}.md").read_text("utf-8")
        assert f"last_reviewed: {days[-1]}\n" in text

    with sqlite3.connect(cache_path(vault.absolute())) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    cached = load_vault(vault, cache=True)
    assert cached.cache_misses + cached.cache_hits == 4
    assert cached.notes == load_vault(vault).notes  # what the cache gives is what parsing gives
