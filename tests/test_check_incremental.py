"""The incremental check: after notes change, only they and the notes whose links reach
what changed about them are checked again, and the findings are exactly a cold check's.

Random edits of a small vault that touch everything a finding can depend on (text,
links, headings and blocks that links target, aliases, property types, embeds that
loop, suppressions, unreadable bytes) are checked after each edit both ways. The
work is counted: a body edit parses one note and reads no other.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from pathlib import Path

import pytest
from conftest import corpus_vaults

from kbtool.lint.engine import check
from kbtool.lint.warm import WarmCheck, cached_check
from kbtool.model import Diagnostic
from kbtool.vault import load
from kbtool.vault.load import load_vault, scan_vault

TODAY = dt.date(2026, 11, 26)
OLD_NS = 1_600_000_000 * 10**9


class Editor:
    """Notes N0..N9 whose every write gets a new, old mtime (never racily clean)."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.clock = OLD_NS
        for i in range(10):
            self.write(f"N{i}.md", self.note_text(i))
        self.write("sub/N3.md", "---\ntitle: N3\naliases: [Three]\n---\nAlso N3 [[N0#Intro]].\n")

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        self.clock += 1_000_003
        os.utime(path, ns=(self.clock, self.clock))

    def note_text(self, i: int) -> str:
        links = " ".join(f"[[N{self.rng.randrange(12)}]]" for _ in range(2))
        return (
            f"---\ntitle: N{i}\npriority: {i}\ntags: [fact]\n---\n# Intro\n"
            f"See {links} and [[N{(i + 1) % 10}#Intro]] and [[Alias{i % 3}]].\n"
            f"A block. ^b{i}\n"
        )

    def edit(self) -> str:
        """One random edit of one or two notes (never adds or removes a file)."""
        rel = f"N{self.rng.randrange(10)}.md"
        other = f"N{self.rng.randrange(10)}"
        text = (self.root / rel).read_text("utf-8", "surrogateescape")
        choice = self.rng.randrange(13)
        additions = {
            0: f"More text {self.rng.random()}.\n",
            1: f"Also [[{other}]] and [[Missing{self.rng.randrange(3)}]].\n",
            2: f"## H{self.rng.randrange(3)}\n",
            3: f"[[{other}#H{self.rng.randrange(3)}]], [[{other}#^b{self.rng.randrange(10)}]]\n",
            4: f"![[{other}]]\n",
            5: f"![[{other}#Intro]]\n",
            6: "[[Nowhere]] %% kbtool: ignore KB201 %%\n",
            7: "%% kbtool: ignore KB203 %%\n",
        }
        if choice in additions:
            self.write(rel, text + additions[choice])
        elif choice == 8:  # the aliases that [[AliasK]] links reach
            alias = f"Alias{self.rng.randrange(3)}"
            self.write(rel, text.replace("tags: [fact]", f"tags: [fact]\naliases: [{alias}]", 1))
        elif choice == 9:  # a property's type against the others'
            self.write(rel, text.replace("priority: ", "priority: high", 1))
        elif choice == 10:  # a heading or block that others link to renamed
            self.write(rel, text.replace("# Intro", "# Preface", 1).replace(" ^b", " ^c", 1))
        elif choice == 11:
            self.write(rel, text + "bad byte \udcff\n")
        else:
            self.write(rel, self.note_text(self.rng.randrange(10)))
        return f"edit {choice} of {rel}"


def _warm(root: Path) -> WarmCheck:
    return cached_check(scan_vault(root), today=TODAY, select=["KB"])


def _cold(root: Path) -> list[Diagnostic]:
    return list(check(load_vault(root), today=TODAY, select=["KB"]).diagnostics)


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_random_edits_checked_incrementally_give_the_cold_findings(
    tmp_path: Path, seed: int
) -> None:
    editor = Editor(tmp_path / "vault", seed)
    _warm(editor.root)
    incremental = 0
    for step in range(30):
        what = editor.edit()
        warm = _warm(editor.root)
        assert warm.result.diagnostics == _cold(editor.root), f"step {step}: {what}"
        incremental += warm.incremental
    assert incremental >= 12  # most edits; a new embed or property type is a full check


def test_a_body_edit_parses_one_note_and_reads_no_other(tmp_path: Path) -> None:
    editor = Editor(tmp_path / "vault", 5)
    _warm(editor.root)
    editor.write("N4.md", (editor.root / "N4.md").read_text("utf-8") + "One more line.\n")
    load.counts.reset()
    warm = _warm(editor.root)
    assert warm.incremental
    assert (load.counts.hashed, load.counts.parsed) == (1, 1)
    assert warm.result.diagnostics == _cold(editor.root)


def test_a_renamed_heading_rechecks_the_notes_that_link_to_it(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    editor = Editor(root, 6)
    editor.write("A.md", "See [[B#Part]].\n")
    editor.write("B.md", "# Part\nText [[A]].\n")
    editor.write("C.md", "Unrelated [[A]] [[B]].\n")
    _warm(root)
    editor.write("B.md", "# Whole\nText [[A]].\n")
    load.counts.reset()
    warm = _warm(root)
    assert warm.incremental
    assert load.counts.parsed == 1  # B; A and the notes linking to B come from the cache
    messages = [(d.path, d.code) for d in warm.result.diagnostics if d.code == "KB203"]
    assert ("A.md", "KB203") in messages
    assert warm.result.diagnostics == _cold(root)
    editor.write("B.md", "# Part\nText [[A]].\n")
    back = _warm(root)
    assert back.incremental
    assert not [d for d in back.result.diagnostics if d.path == "A.md" and d.code == "KB203"]


def test_a_new_file_or_option_is_a_full_check(tmp_path: Path) -> None:
    editor = Editor(tmp_path / "vault", 7)
    _warm(editor.root)
    editor.write("New.md", "[[N1]]\n")
    warm = _warm(editor.root)
    assert not warm.incremental and not warm.reused
    assert warm.result.diagnostics == _cold(editor.root)
    editor.write("New.md", "[[N1]] and more text\n")
    assert _warm(editor.root).incremental
    editor.write("kbtool.toml", "[schema]\nrequire_type = true\n")
    warm = _warm(editor.root)
    assert not warm.incremental
    assert warm.result.diagnostics == _cold(editor.root)


@pytest.mark.parametrize("corpus", corpus_vaults(), ids=lambda p: p.parent.name)
def test_corpus_notes_edited_one_by_one_give_the_cold_findings(
    tmp_path: Path, corpus: Path
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(corpus, root, symlinks=True)
    notes = sorted(p for p in root.rglob("*.md") if not any(x.startswith(".") for x in p.parts))
    rng = random.Random(3)
    _warm(root)
    clock = OLD_NS
    for path in rng.sample(notes, min(4, len(notes))):
        text = path.read_bytes()
        path.write_bytes(text + b"\nAn edit with [[" + notes[0].stem.encode() + b"]].\n")
        clock += 10**9
        os.utime(path, ns=(clock, clock))
        warm = _warm(root)
        assert warm.result.diagnostics == _cold(root), path


def test_a_link_added_and_removed_unmakes_and_makes_an_orphan_incrementally(
    tmp_path: Path,
) -> None:
    root = tmp_path / "vault"
    editor = Editor(root, 8)
    editor.write("Lone.md", "Nothing links here, and this links nowhere.\n")
    orphan = ("Lone.md", "KB301")
    assert orphan in {(d.path, d.code) for d in _warm(root).result.diagnostics}
    text = (root / "N1.md").read_text("utf-8")
    editor.write("N1.md", text + "Now [[Lone]].\n")
    load.counts.reset()
    warm = _warm(root)
    assert warm.incremental and load.counts.parsed == 1
    assert orphan not in {(d.path, d.code) for d in warm.result.diagnostics}
    assert warm.result.diagnostics == _cold(root)
    editor.write("N1.md", text)
    warm = _warm(root)
    assert warm.incremental
    assert orphan in {(d.path, d.code) for d in warm.result.diagnostics}
    assert warm.result.diagnostics == _cold(root)
