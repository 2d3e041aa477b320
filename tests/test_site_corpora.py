"""Every real vault builds without a traceback, and no page of it has a dead internal link."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from tests.conftest import corpus_vaults
from tests.site_crawl import dead_links, inline_code


@pytest.mark.parametrize("vault", corpus_vaults(), ids=lambda p: p.parent.name)
def test_corpus_builds_with_no_dead_link(vault: Path, tmp_path: Path, corpora: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(vault), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.exception is None
    pages = list(out.rglob("*.html"))
    assert len(pages) > 50
    assert dead_links(out) == []
    assert inline_code(out) == []
