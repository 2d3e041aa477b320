"""On the real vaults and on generated ones, the fast path changes nothing but the speed.

Every note is parsed twice, with the plain-frontmatter fast path and with
libyaml's path alone (the fast path switched off), and the notes and the whole
`check` findings must be identical. The fast path must also actually be taken:
on every note whose frontmatter is plain.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from benchmark_scripts import load_script
from conftest import corpus_vaults

from kbtool.lint.engine import check
from kbtool.notes import frontmatter
from kbtool.notes.lines import split_lines
from kbtool.notes.parse import parse_note
from kbtool.notes.plainyaml import read_plain
from kbtool.vault.load import load_vault

TODAY = dt.date(2026, 12, 1)


def _libyaml_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frontmatter, "read_plain", lambda raw, first_line=1: None)


def _notes(vault: Path) -> list[tuple[str, bytes]]:
    return [(str(p.relative_to(vault)), p.read_bytes()) for p in sorted(vault.rglob("*.md"))]


def _frontmatter_text(data: bytes) -> str | None:
    """The frontmatter's text as `scan_frontmatter` hands it on, or None without one."""
    note = parse_note("x.md", data)
    if not note.frontmatter.end_line:
        return None
    lines = split_lines(data.decode("utf-8"))
    return "\n".join(lines[1 : note.frontmatter.end_line - 1]) + "\n"


def _declined(vault: Path) -> tuple[int, list[str]]:
    """How many notes of `vault` have frontmatter, and which of them the fast path declines."""
    declined = []
    with_frontmatter = 0
    for rel, data in _notes(vault):
        raw = _frontmatter_text(data)
        if raw is not None:
            with_frontmatter += 1
            if read_plain(raw, first_line=2) is None:
                declined.append(rel)
    return with_frontmatter, declined


def _assert_same_both_ways(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every note parsed, and the vault checked, give the same with and without the fast path."""
    notes = _notes(vault)
    with_fast = [repr(parse_note(rel, data)) for rel, data in notes]
    findings = check(load_vault(vault), today=TODAY).diagnostics
    with monkeypatch.context() as patch:
        _libyaml_only(patch)
        assert [repr(parse_note(rel, data)) for rel, data in notes] == with_fast
        assert check(load_vault(vault), today=TODAY).diagnostics == findings


@pytest.mark.parametrize("vault", corpus_vaults(), ids=lambda p: p.parent.name)
def test_corpus_notes_are_the_same_with_the_fast_path(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assert_same_both_ways(vault, monkeypatch)
    _, declined = _declined(vault)
    # the only frontmatter in the corpora that is not plain: Templater's `{{date}}`,
    # a flow mapping in YAML
    for rel in declined:
        raw = _frontmatter_text((vault / rel).read_bytes())
        assert raw is not None and "{{" in raw, rel


def test_the_corpora_take_the_fast_path_on_most_notes(corpora: Path) -> None:
    shares = {}
    for vault in corpus_vaults():
        with_frontmatter, declined = _declined(vault)
        shares[vault.parent.name] = (with_frontmatter - len(declined), with_frontmatter)
    # (notes read by the fast path, notes with frontmatter): 249 of 277 in all
    assert shares == {
        "foam-docs": (3, 3),
        "kepano-obsidian": (70, 98),
        "obsidian-tasks-docs": (103, 103),
        "quartz-docs": (73, 73),
    }


def test_generated_notes_all_take_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_script("generate_vault").generate(60, tmp_path, seed=3)
    _assert_same_both_ways(tmp_path, monkeypatch)
    with_frontmatter, declined = _declined(tmp_path)
    assert with_frontmatter >= 60
    assert declined == []
