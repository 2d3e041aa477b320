"""Summaries kept between runs, so that a warm `kbtool index` reads no note again.

A summary depends only on the note's bytes, so it is stored by the SHA-256 the
vault already computed for them, as one entry of the vault's cache file (the
parse cache's results store: versioned, checksummed, shared safely by two
processes, removed by `kbtool cache clear`). Like the parse cache it can never
fail a command: a cache that cannot be read means summarising as if it were empty.
The summaries are stored as one deflated pickle (zlib level 6): the prose of 10,000
notes' summaries takes 0.6 MB instead of 2.2 MB, a tenth of the cache file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeGuard

from kbtool.vault.cache import cache_path, packed, read_result, unpacked, write_result

_KIND = "summaries/2"  # bump when the summary rules change what a summary says


class SummaryCache:
    """Summaries by note SHA-256; `save()` keeps those used in this run and no others."""

    def __init__(self, vault_root: Path) -> None:
        self.path = cache_path(vault_root)
        stored = read_result(self.path, _KIND)
        value = unpacked(stored[2]) if stored is not None else None
        self._stored: dict[str, str] = value if _is_summaries(value) else {}
        self._used: dict[str, str] = {}

    def get(self, sha256: str) -> str | None:
        found = self._stored.get(sha256)
        if found is not None:
            self._used[sha256] = found
        return found

    def put(self, sha256: str, summary: str) -> None:
        self._used[sha256] = summary

    def save(self) -> None:
        if self._used != self._stored:
            write_result(self.path, _KIND, "", 0, packed(self._used, 6))


def _is_summaries(value: object) -> TypeGuard[dict[str, str]]:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )
