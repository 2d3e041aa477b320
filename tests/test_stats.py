"""`kbtool stats` numbers on the hand-written `links_stats` vault, worked out by hand.

The vault: `MOC Home` links A and B; A links B and C#Part; B embeds A and has
`up: [[MOC Home]]`; C links nothing; D links only a missing note; E is alone;
`Hub/F` (type: moc) links G; G embeds pic.png.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.graph.stats import VaultStats, compute_stats, is_moc, moc_reach
from kbtool.vault.load import Vault

FIXTURE = Path(__file__).parent / "fixtures" / "links_stats"


@pytest.fixture(scope="module")
def vault(links_stats_vault: Vault) -> Vault:
    return links_stats_vault


@pytest.fixture(scope="module")
def stats(vault: Vault) -> VaultStats:
    return compute_stats(vault)


def test_counts(stats: VaultStats) -> None:
    assert (stats.notes, stats.attachments) == (8, 1)
    assert stats.links == {"link": 6, "embed": 2, "property": 1, "total": 9}
    assert stats.broken_links == 1


def test_orphans_and_dead_ends(stats: VaultStats) -> None:
    assert stats.orphans == ["E.md"]  # D links to a missing note: not an orphan
    assert stats.dead_ends == ["C.md", "D.md", "E.md", "G.md"]  # G reaches only an image


def test_components(stats: VaultStats) -> None:
    assert (stats.components, stats.largest_component) == (4, 4)


def test_hubs_by_in_degree(stats: VaultStats) -> None:
    assert stats.hubs_in_degree == [
        {"path": "A.md", "in_degree": 2},
        {"path": "B.md", "in_degree": 2},
        {"path": "C.md", "in_degree": 1},
        {"path": "G.md", "in_degree": 1},
        {"path": "MOC Home.md", "in_degree": 1},
    ]


def test_hubs_by_pagerank(stats: VaultStats) -> None:
    ranks = stats.hubs_pagerank
    assert [h["path"] for h in ranks[:2]] == ["A.md", "B.md"]
    assert sum(h["pagerank"] for h in ranks) == pytest.approx(1.0, abs=1e-4)
    assert ranks == sorted(ranks, key=lambda h: (-h["pagerank"], h["path"]))


def test_mocs_and_reach(vault: Vault, stats: VaultStats) -> None:
    assert stats.mocs == ["Hub/F.md", "MOC Home.md"]
    assert stats.not_reached_by_moc == ["D.md", "E.md"]
    assert moc_reach(vault) == {
        "Hub/F.md": {"G.md"},
        "MOC Home.md": {"A.md", "B.md", "C.md"},
    }


def test_is_moc_by_type_or_name(vault: Vault) -> None:
    assert is_moc(vault.notes["Hub/F.md"])  # type: moc
    assert is_moc(vault.notes["MOC Home.md"])
    assert not is_moc(vault.notes["A.md"])


def test_cli_json_matches_library(stats: VaultStats) -> None:
    result = CliRunner().invoke(main, ["stats", str(FIXTURE), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"vault": str(FIXTURE), **stats.to_dict()}


def test_cli_text_is_plain_when_piped() -> None:
    result = CliRunner().invoke(main, ["stats", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Notes         8"
    assert "Links         9 (link 6, embed 2, property 1)" in lines
    assert "Components    4 (largest: 4 notes)" in lines
    assert "MOC reach     2 notes not reached by 2 MOCs" in lines
    assert "\x1b[" not in result.output


def test_rich_tables_keep_brackets_in_paths(capsys: pytest.CaptureFixture[str]) -> None:
    from kbtool.cli.stats import _print_rich

    stats = VaultStats(
        1,
        0,
        {"link": 0, "embed": 0, "property": 0, "total": 0},
        0,
        ["[draft] idea.md"],
        ["[draft] idea.md"],
        1,
        1,
        hubs_pagerank=[{"path": "[draft] idea.md", "pagerank": 1.0}],
    )
    _print_rich(stats)
    out = capsys.readouterr().out
    assert "Orphans (1): [draft] idea.md" in out
    assert "│   1.0000 │ [draft] idea.md │" in out
