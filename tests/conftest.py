"""Shared fixtures: paths to the hand-written fixture vaults and to the real corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def corpora_root() -> Path | None:
    """The real vaults: $KBTOOL_CORPORA, else ../shared/corpora beside the project."""
    configured = os.environ.get("KBTOOL_CORPORA")
    candidates = [Path(configured)] if configured else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "corpora")
    return next((c for c in candidates if c.is_dir()), None)


def corpus_vaults() -> list[Path]:
    root = corpora_root()
    if root is None:
        return []
    return sorted(p / "vault" for p in root.iterdir() if (p / "vault").is_dir())


@pytest.fixture
def corpora() -> Path:
    """The corpora folder; skips outside CI when absent, fails in CI."""
    root = corpora_root()
    if root is None:
        if os.environ.get("CI") == "true":
            pytest.fail("KBTOOL_CORPORA is not set and ../shared/corpora is missing in CI")
        pytest.skip("real vaults not found: set KBTOOL_CORPORA to ../shared/corpora")
    return root


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Commands use the parse cache; keep the tests' cache out of the user's cache folder."""
    monkeypatch.setenv("KBTOOL_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kbtool-cache"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
