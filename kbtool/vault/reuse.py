"""A command's whole result kept between runs: a vault whose files are as the last run
saw them gets that run's result again, without reading or unpickling a note.

The pattern of the warm check (`kbtool.lint.warm`) for any command whose output
depends only on the vault and its options (`index`, `stats`, `graph`). The result is
stored in the cache's results store under the vault's fingerprint
(`kbtool.vault.fingerprint`: each note's stamp, the listing, the configuration,
kbtool's code) and every option the caller names. As there, a stamp vouches for a
note only when it was modified before the second in which the stored run began
(git's racily-clean rule); a racily clean note is hashed, and the result is reused
only if its bytes are those that were read. A note the command rewrites itself each
run (`index -o VAULT/Index.md`) can be left out of the stamps and always vouched for
by hash, so that writing it does not make the next run cold.

One row per `slot` (a command and its format), replaced when the vault or an option
changes, so that the store holds a few results, not one per date or option ever used.
A value (`cached_result`) is stored pickled and compressed, and not kept when it is
larger than `MAX_STORED` (SQLite refuses a value over 1 GB). A text (`streamed_text`:
the output of `index` and `graph`) is stored and replayed in pieces as it is made
(`kbtool.vault.pieces`), since an index can be large: it lists a note once for each
group of MOCs that reach it, so a deep hierarchy of MOCs repeats notes (the generated
vaults' single group gives 4.2 MB of Markdown at 10,000 notes, 42 MB at 100,000);
one whose compressed pieces pass `MAX_STORED_TEXT` is not kept, and that command
then streams its output, computed afresh, each time.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeGuard, TypeVar

from kbtool.vault.cache import cache_path, packed, read_result, unpacked, write_result
from kbtool.vault.fingerprint import (
    racily_clean_notes,
    same_bytes,
    unchanged_since_listed,
    vault_fingerprint,
)
from kbtool.vault.load import Vault, VaultFiles, load_files
from kbtool.vault.pieces import Head, TextStore, stored_as_made, stored_head, stored_text

T = TypeVar("T")

_KIND = "reuse"
#: Compressed bytes beyond which a result is not stored.
MAX_STORED = 256 * 2**20
#: Compressed bytes beyond which a text is not stored: about 500 MB of index text
#: (an index repeating each note under many MOCs used to give 214 MB of Markdown at
#: 10,000 generated notes, stored in 27 MB), past which the cache would outgrow the
#: vault and each change would cost minutes of compression.
MAX_STORED_TEXT = 64 * 2**20


@dataclass(frozen=True)
class Reused(Generic[T]):
    """A command's result, whether it was reused, and the vault when it had to be loaded."""

    value: T
    reused: bool
    vault: Vault | None


def _vouched(
    files: VaultFiles, checked_ns: int, hashed: Collection[str]
) -> list[tuple[str, str | Path]]:
    """The notes whose bytes must be hashed to trust a result made at `checked_ns`: the
    racily clean ones and those in `hashed`."""
    racy = racily_clean_notes(files, checked_ns)
    seen = {rel for rel, _path in racy}
    racy += [(rel, path) for rel, path, _status in files.notes if rel in hashed and rel not in seen]
    return racy


def _key(fingerprint: str, options: Sequence[object]) -> str:
    chosen = hashlib.sha256(repr(tuple(options)).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{fingerprint}/{chosen[:32]}"


def cached_result(
    files: VaultFiles,
    slot: str,
    options: Sequence[object],
    compute: Callable[[Vault], T],
    accept: Callable[[object], TypeGuard[T]],
    *,
    cache: bool = True,
    hashed: Collection[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> Reused[T]:
    """`compute(vault)` of the listed vault, or the value it gave last time when nothing
    it depends on changed: the notes (by stamp, or by hash for the racily clean ones and
    those in `hashed`), the listing, the configuration, kbtool's code and `options`
    (every option that changes the value: their `repr` is the key). `accept` checks a
    stored value's type (a damaged or foreign row is a miss). Without `cache`, the
    notes are loaded without the parse cache and nothing is read or stored."""
    fingerprint = vault_fingerprint(files, hashed) if cache else None
    path = cache_path(files.root)
    kind = f"{_KIND}/{slot}"
    key = _key(fingerprint, options) if fingerprint is not None else ""
    if fingerprint is not None:
        stored = read_result(path, kind)
        if stored is not None:
            stored_key, checked_ns, value = stored
            if stored_key == key and isinstance(value, tuple) and len(value) == 2:
                blob, checked = value
                if isinstance(checked, dict) and same_bytes(
                    _vouched(files, checked_ns, hashed), checked
                ):
                    result = unpacked(blob)
                    if accept(result):
                        return Reused(result, True, None)
    vault = load_files(files, progress=progress, cache=cache)
    result = compute(vault)
    if fingerprint is not None and unchanged_since_listed(files, vault):
        vouched = _vouched(files, files.started_ns, hashed)
        checked = {rel: vault.notes[rel].sha256 for rel, _path in vouched}
        blob = packed(result)
        if len(blob) <= MAX_STORED:
            write_result(path, kind, key, files.started_ns, (blob, checked))
    return Reused(result, False, vault)


def _worth_storing(path: Path, kind: str, key: str) -> bool:
    """Whether to store a text made for `key`: not when the last run with the same
    inputs found it too large (storing it again would be dropped again)."""
    head = stored_head(path, kind)
    return head is None or head.key != key or not head.too_large


@contextlib.contextmanager
def streamed_text(
    files: VaultFiles,
    slot: str,
    options: Sequence[object],
    render: Callable[[Vault], Iterable[str]],
    *,
    cache: bool = True,
    hashed: Collection[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Reused[Iterator[str]]]:
    """The text `render(vault)` gives, in pieces, or the one it gave last time when
    nothing it depends on changed (as `cached_result` decides). The pieces must be
    consumed inside the block; when they all were, a text made afresh is stored (in
    pieces, as it was made, unless too large), and when the block raises, nothing is."""
    fingerprint = vault_fingerprint(files, hashed) if cache else None
    path = cache_path(files.root)
    kind = f"{_KIND}/{slot}"
    key = _key(fingerprint, options) if fingerprint is not None else ""
    if fingerprint is not None:

        def vouch(head: Head) -> bool:
            return same_bytes(_vouched(files, head.checked_ns, hashed), head.checked)

        with stored_text(path, kind, key, vouch) as replay:
            if replay is not None:
                yield Reused(replay, True, None)
                return
    vault = load_files(files, progress=progress, cache=cache)
    store = None
    if (
        fingerprint is not None
        and unchanged_since_listed(files, vault)
        and _worth_storing(path, kind, key)
    ):
        vouched = _vouched(files, files.started_ns, hashed)
        checked = {rel: vault.notes[rel].sha256 for rel, _path in vouched}
        store = TextStore(path, kind, key, files.started_ns, checked, MAX_STORED_TEXT)
    try:
        yield Reused(stored_as_made(render(vault), store), False, vault)
    finally:
        if store is not None:
            store.abandon()  # unless `stored_as_made` finished it
