"""The warm check gives exactly the findings of a cold one, and reuses them only when
nothing they depend on changed.

A seeded sequence of random edits (text, links added and removed, renames, a heading
that a link targets, kbtool.toml, a touch without change) is checked after every
edit both ways; a run with nothing changed must reuse the stored findings, reading
and parsing no note.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.lint.engine import check
from kbtool.lint.warm import cached_check
from kbtool.vault import load
from kbtool.vault.cache import FileStamp
from kbtool.vault.load import load_vault, scan_vault

TODAY = dt.date(2026, 11, 26)
OLD_NS = 1_600_000_000 * 10**9


class Editor:
    """A small vault and the random edits made to it; every write gets a new old mtime,
    so that the stamps change and no file is racily clean (reuse is possible)."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.clock = OLD_NS
        for i in range(8):
            self.write(f"N{i}.md", self.note_text(i))
        self.write("sub/N3.md", "---\ntitle: N3\n---\nA second N3. [[N0#Intro]]\n")

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        self.touch(rel)

    def touch(self, rel: str) -> None:
        self.clock += 1_000_003
        os.utime(self.root / rel, ns=(self.clock, self.clock))

    def note_text(self, i: int) -> str:
        links = " ".join(f"[[N{self.rng.randrange(10)}]]" for _ in range(3))
        return (
            f"---\ntitle: N{i}\ntype: Fact\ncreated: 2024-01-0{1 + i % 9}\ntags: [type/fact]\n"
            f"---\n# Intro\nSee {links} and [[N{(i + 1) % 8}#Intro]].\n"
        )

    def notes(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.md"))

    def edit(self) -> str:
        """One random edit; returns what it did."""
        rel = self.rng.choice(self.notes())
        path = self.root / rel
        text = path.read_text("utf-8")
        choice = self.rng.randrange(8)
        if choice == 0:
            self.write(rel, text + f"More text {self.rng.random()}.\n")
        elif choice == 1:
            self.write(rel, text + f"Also [[N{self.rng.randrange(12)}]].\n")
        elif choice == 2 and "[[" in text:
            start = text.rindex("[[")
            self.write(rel, text[:start] + text[text.index("]]", start) + 2 :])
        elif choice == 3:
            new = f"R{self.rng.randrange(100)}.md"
            if not (self.root / new).exists():
                path.rename(self.root / new)
                return f"rename {rel} -> {new}"
        elif choice == 4:
            target = self.rng.choice(self.notes())
            heading = f"H{self.rng.randrange(3)}"
            self.write(target, (self.root / target).read_text("utf-8") + f"## {heading}\n")
            self.write(rel, text + f"[[{Path(target).stem}#{heading}]]\n")
            return f"heading {heading} in {target}, linked from {rel}"
        elif choice == 5:
            self.write("kbtool.toml", self.rng.choice(CONFIGS))
            return "kbtool.toml"
        elif choice == 6:
            self.touch(rel)
            return f"touch {rel}"
        else:
            self.write(f"N{self.rng.randrange(12)}.md", self.note_text(self.rng.randrange(12)))
        return f"edit {choice} of {rel}"


CONFIGS = [
    "",
    "[rules.severity]\nKB302 = 'off'\n",
    "[schema]\nrequire_type = true\n",
    "[rules]\nignore = ['KB301']\n",
]


def _warm(root: Path) -> tuple[list[object], bool]:
    warm = cached_check(scan_vault(root), today=TODAY)
    return list(warm.result.diagnostics), warm.reused


def _cold(root: Path) -> list[object]:
    return list(check(load_vault(root), today=TODAY).diagnostics)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_give_the_cold_findings(tmp_path: Path, seed: int) -> None:
    editor = Editor(tmp_path / "vault", seed)
    for step in range(25):
        what = editor.edit()
        cold = _cold(editor.root)
        warm, _ = _warm(editor.root)
        assert warm == cold, f"step {step}: {what}"
        load.counts.reset()
        again, reused = _warm(editor.root)
        assert reused and again == cold, f"step {step}, nothing changed after: {what}"
        assert (load.counts.hashed, load.counts.parsed) == (0, 0)


def test_racily_clean_files_are_hashed_and_a_change_never_missed(tmp_path: Path) -> None:
    """Files written just now (mtime in the current second) are never trusted by their stamp:
    they are hashed, and the findings are reused only for the bytes that were checked."""
    root = tmp_path / "vault"
    root.mkdir()
    soon = time.time_ns() + 3600 * 10**9  # not older than any run's start: racily clean
    for name, text in (("A.md", "[[B]]\n"), ("B.md", "text\n")):
        (root / name).write_text(text, "utf-8")
        os.utime(root / name, ns=(soon, soon))
    assert _warm(root) == (_cold(root), False)
    load.counts.reset()
    assert _warm(root) == (_cold(root), True)  # reused once their bytes proved the same
    assert load.counts.hashed == 2
    stamp = (root / "A.md").stat()
    with (root / "A.md").open("r+b") as handle:  # same size, same inode
        handle.write(b"[[C]]\n")
    os.utime(root / "A.md", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert FileStamp.of((root / "A.md").stat())[:3] == FileStamp.of(stamp)[:3]  # ctime aside
    warm, reused = _warm(root)
    assert not reused
    assert warm == _cold(root)
    assert "[[C]] matches no note" in [d.message for d in warm]  # type: ignore[attr-defined]


def test_file_arguments_and_options_filter_the_stored_findings(tmp_path: Path) -> None:
    editor = Editor(tmp_path / "vault", 7)
    _warm(editor.root)
    only = {"N1.md", "sub/N3.md"}
    warm = cached_check(scan_vault(editor.root), today=TODAY, only=only)
    cold = check(load_vault(editor.root), today=TODAY, only=only)
    assert warm.reused
    assert warm.result == cold
    selected = cached_check(scan_vault(editor.root), today=TODAY, select=["KB302"])
    assert not selected.reused  # other rules, other findings: stored apart
    assert selected.result == check(load_vault(editor.root), today=TODAY, select=["KB302"])
    later = cached_check(scan_vault(editor.root), today=TODAY + dt.timedelta(days=1))
    assert not later.reused  # dated rules measure against today


def test_the_command_reads_no_note_when_nothing_changed(tmp_path: Path) -> None:
    editor = Editor(tmp_path / "vault", 4)
    args = ["check", str(editor.root), "--today", TODAY.isoformat()]
    cold = CliRunner().invoke(main, [*args, "--no-cache"])
    first = CliRunner().invoke(main, args)
    load.counts.reset()
    second = CliRunner().invoke(main, args)
    assert (load.counts.hashed, load.counts.parsed) == (0, 0)
    assert cold.stdout == first.stdout == second.stdout
    assert cold.exit_code == first.exit_code == second.exit_code == 1
    assert "KB201" in second.stdout
