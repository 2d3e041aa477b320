"""Shared fixtures: paths to the hand-written fixture vaults and to the real corpora."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kbtool.vault.load import Vault, load_vault

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


@functools.cache
def fixture_vault(name: str) -> Vault:
    """The hand-written vault tests/fixtures/NAME, loaded once per session (read it only:
    every test that asks gets the same object)."""
    return load_vault(FIXTURES / name)


@pytest.fixture(scope="session")
def links_vault() -> Vault:
    """tests/fixtures/links: every link form, broken ones included."""
    return fixture_vault("links")


@pytest.fixture(scope="session")
def links_stats_vault() -> Vault:
    """tests/fixtures/links_stats: a small graph with hubs, MOCs, orphans and dead ends."""
    return fixture_vault("links_stats")


# Permission tests: tests run as root, whom chmod does not stop, so they run kbtool in a
# child process as the user nobody (setpriv drops the user and group ids before exec).
NOBODY = 65534


def can_drop_privileges() -> bool:
    return os.name == "posix" and os.geteuid() == 0 and shutil.which("setpriv") is not None


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A folder the user nobody can enter (pytest's tmp_path is root's alone, mode 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="kbtool-public-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder)


@functools.cache
def _nobody_can_import_kbtool() -> bool:
    drop = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    probe = [*drop, sys.executable, "-c", "import kbtool.cli, click, pydantic"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=60, cwd="/").returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture
def as_nobody() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`as_nobody(*args, cwd=..., cache=...)` runs `python -m kbtool ARGS` as nobody, with a
    fresh cache folder unless `cache` (one nobody can write) is given; skips if it cannot."""
    if not can_drop_privileges():
        pytest.skip("needs root and setpriv to run as nobody")
    if not _nobody_can_import_kbtool():
        pytest.skip(
            "the user nobody cannot read this kbtool or its dependencies (a private folder on "
            "the way to the checkout or the virtual environment)"
        )

    def run(
        *args: str, cwd: Path = Path("/"), cache: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        kept = cache is not None
        if cache is None:
            cache = Path(tempfile.mkdtemp(prefix="kbtool-nobody-cache-"))
            os.chmod(cache, 0o777)
        drop = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        env = {**os.environ, "KBTOOL_CACHE_DIR": str(cache), "HOME": str(cache), "NO_COLOR": "1"}
        try:
            return subprocess.run(
                [*drop, sys.executable, "-m", "kbtool", *args],
                capture_output=True,
                text=True,
                timeout=60,
                cwd=cwd,
                env=env,
            )
        finally:
            if not kept:
                shutil.rmtree(cache)

    return run
