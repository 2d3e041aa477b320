"""The index rendered in pieces is the index rendered whole, and MOCs that reach each
other share one list of what they reach (issue 11 §5: an index whose MOCs each list
much of a large vault, as a hierarchy of MOCs does, is never held whole, nor copied
once per MOC)."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from pathlib import Path

import pytest
from benchmark_scripts import load_script
from click.testing import CliRunner
from conftest import corpus_vaults

from kbtool.base.jsonout import json_text
from kbtool.cli import main
from kbtool.index.build import Index, build_index
from kbtool.index.render_json import index_data, json_pieces
from kbtool.index.render_md import markdown_pieces, render_markdown
from kbtool.vault.load import load_vault

TODAY = dt.date(2026, 12, 1)
FIXTURES = sorted(p for p in (Path(__file__).parent / "fixtures").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    load_script("generate_vault").generate(300, root, seed=1)
    return root


def _index(root: Path) -> Index:
    return build_index(load_vault(root, cache=False), today=TODAY)


def test_pieces_join_to_the_whole_text(generated: Path) -> None:
    for root in [*FIXTURES, *corpus_vaults(), generated]:
        index = _index(root)
        whole = render_markdown(index)
        data = json_text(index_data(index))
        for batch in (1, 2, 4096):
            assert "".join(markdown_pieces(index, batch=batch)) == whole
            assert "".join(json_pieces(index, batch=batch)) == data, root


def test_mocs_that_reach_each_other_share_one_list(generated: Path) -> None:
    index = _index(generated)
    assert len(index.mocs) == 3  # one MOC per 100 notes, all in one component
    (group,) = index.moc_groups
    assert group.mocs == tuple(moc.path for moc in index.mocs)
    assert all(moc.listed is group.reaches and moc.group == 0 for moc in index.mocs)
    for moc in index.mocs:
        assert moc.path in moc.listed and moc.path not in moc.reaches
        assert moc.count == len(moc.reaches) == len(moc.listed) - 1


def test_index_command_prints_the_same_text_with_or_without_the_cache(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path))
    for fmt in ("md", "json"):
        args = ["index", str(generated), "--format", fmt, "--today", TODAY.isoformat()]
        cold = CliRunner().invoke(main, [*args, "--no-cache"])
        warm = CliRunner().invoke(main, args)
        assert cold.exit_code == warm.exit_code == 0
        assert cold.output == warm.output
        assert cold.output.count("\n") > 600


def test_rendering_in_pieces_holds_a_bounded_part_of_the_text(tmp_path: Path) -> None:
    """250 MOCs in a chain (each links the next, none links back), each reaching all
    1,000 notes: 280,000 list lines (9 MB of Markdown, 6 of JSON), made while holding
    less than a tenth of them (the items are escaped once each)."""
    notes, mocs = 1000, 250
    for i in range(notes):
        (tmp_path / f"n{i}.md").write_text(f"# N{i}\n\nNote {i} links [[n{(i + 1) % notes}]].\n")
    for m in range(mocs):
        after = f"MOC {m + 1}" if m + 1 < mocs else "n0"
        (tmp_path / f"MOC {m}.md").write_text(f"# MOC {m}\n\n[[{after}]]\n")
    index = _index(tmp_path)
    assert sorted(moc.count for moc in index.mocs) == [notes + m for m in range(mocs)]
    assert len(index.moc_groups) == mocs
    for pieces in (markdown_pieces, json_pieces):
        tracemalloc.start()
        try:
            size = sum(len(piece) for piece in pieces(index))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert size > 5_000_000
        assert peak < size / 10, (pieces.__name__, peak, size)


def test_a_moc_reach_is_written_in_batches(tmp_path: Path) -> None:
    """In the JSON, a MOC group that reaches 1,200 notes is written `batch` paths at a
    time, so that no piece grows with MOCs times notes."""
    notes = 1200
    for i in range(notes):
        (tmp_path / f"n{i:04d}.md").write_text(f"# N{i}\n\nLinks [[n{(i + 1) % notes:04d}]].\n")
    (tmp_path / "MOC.md").write_text("# MOC\n\n[[n0000]]\n")
    index = _index(tmp_path)
    assert [moc.count for moc in index.mocs] == [notes]
    pieces = json_pieces(index, batch=100)
    reach = [p for p in pieces if '\n        "n' in p and '"type"' not in p]  # not `types`
    assert len(reach) == 12
    assert max(map(len, reach)) <= 100 * len(',\n        "n0000.md"')
