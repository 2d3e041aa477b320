"""The warm check: a vault whose files are as the last check saw them gets that check's
findings again, without reading, parsing or resolving a note.

The findings of a check depend only on the notes' bytes, the vault's file listing
(attachments and skipped entries included), the configuration (`kbtool.toml` and
`.obsidian/`), kbtool's code, the rules selected with their severities, and the
date. The cache stores the whole result under a fingerprint of all of these, where
each note counts by its stamp (size, modification time in ns, inode), which the
listing gives without opening a file. As in the parse cache, the stamp is trusted
only for files modified before the second in which the stored check began
(git's racily-clean rule); a racily clean note (just saved) is read and hashed,
and the result is reused only if its bytes are those that were checked. Otherwise
the notes are loaded (through the parse cache) and checked again. The result is
stored for every note; FILE arguments (`only`) filter it afterwards, exactly as
`check()` does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kbtool.base.gcpause import paused_gc
from kbtool.lint.engine import CheckResult, check, severities_for
from kbtool.model import Diagnostic, Note, Severity
from kbtool.vault.cache import ParseCache, cache_path, read_result, write_result
from kbtool.vault.fingerprint import (
    racily_clean_notes,
    same_bytes,
    unchanged_since_listed,
    vault_fingerprint,
)
from kbtool.vault.load import Vault, VaultFiles, load_files

_KIND = "check"
_STATE = "check-state"


@dataclass(frozen=True)
class WarmCheck:
    """A check's result, whether it was reused or made incrementally, and the vault when
    it had to be loaded."""

    result: CheckResult
    reused: bool
    vault: Vault | None
    incremental: bool = False


def _options_key(severities: dict[str, str], today: dt.date) -> str:
    chosen = ",".join(f"{code}={level}" for code, level in sorted(severities.items()))
    return hashlib.sha256(f"{chosen};{today.isoformat()}".encode()).hexdigest()[:16]


def _stored(value: object) -> tuple[CheckResult, dict[str, str]] | None:
    """A stored result and the hashes of the notes that were racily clean when it was
    made, checked for shape (a damaged or foreign row is a miss)."""
    if not isinstance(value, tuple) or len(value) != 5:
        return None
    diagnostics, notes, attachments, rules_run, checked = value
    if not isinstance(diagnostics, list) or not all(isinstance(d, Diagnostic) for d in diagnostics):
        return None
    if not isinstance(notes, int) or not isinstance(attachments, int):
        return None
    if not isinstance(rules_run, tuple) or not isinstance(checked, dict):
        return None
    return CheckResult(diagnostics, notes, attachments, rules_run), checked


def cached_check(
    files: VaultFiles,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    today: dt.date | None = None,
    only: Collection[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    checking: Callable[[int, int], None] | None = None,
    loaded: Vault | None = None,
) -> WarmCheck:
    """`check()` of the listed vault, reusing the last result when nothing it depends on
    changed, else checking incrementally what changed (`kbtool.lint.incremental`);
    otherwise the notes are loaded through the parse cache and all checked. The
    result and the state for the next run are stored. Raises `SelectionError` as
    `check()` does. `progress` hears of each note loaded, `checking` of each rule run.
    `loaded`: the vault already loaded from these files (the site build's), checked
    instead of loading it again when a full check is due and it is as listed."""
    today = today or dt.date.today()
    severities = severities_for(files.root, files.config, select, ignore)
    with paused_gc():  # the stored state is many small objects and no cycles
        return _cached_check(
            files, severities, select, ignore, today, only, progress, checking, loaded
        )


def _load_to_check(files: VaultFiles, progress: Callable[[int, int], None] | None) -> Vault:
    """The vault for a check of every note, through the cache; the rules it splits (as
    `check --no-cache`'s) are prepared while the parse worker ends."""
    from kbtool.lint.split import prepare_split

    prepare = prepare_split(files.config)
    return load_files(files, progress=progress, cache=True, meanwhile=prepare)


def _cached_check(
    files: VaultFiles,
    severities: dict[str, Severity],
    select: Sequence[str] | None,
    ignore: Sequence[str],
    today: dt.date,
    only: Collection[str] | None,
    progress: Callable[[int, int], None] | None,
    checking: Callable[[int, int], None] | None,
    loaded: Vault | None,
) -> WarmCheck:
    options = _options_key(dict(severities), today)
    kind = f"{_KIND}/{options}"
    fingerprint = vault_fingerprint(files)
    path = cache_path(files.root)
    given = loaded if loaded is not None and unchanged_since_listed(files, loaded) else None
    if fingerprint is None:
        vault = given or load_files(files, progress=progress, cache=True)
        result = check(vault, select=select, ignore=ignore, today=today, progress=checking)
        return WarmCheck(result.restricted_to(only), False, vault)
    stored = read_result(path, kind)
    if stored is not None:
        key, checked_ns, value = stored
        found = _stored(value)
        if key == fingerprint and found is not None:
            result, checked = found
            if same_bytes(racily_clean_notes(files, checked_ns), checked):
                return WarmCheck(result.restricted_to(only), True, None)
    # the incremental check, and with it the rules: only when something changed
    from kbtool.lint.incremental import full_check, incremental_check
    from kbtool.lint.stored_state import StateWriter, read_state, write_state

    state_kind = f"{_STATE}/{options}"
    earlier = read_state(path, state_kind)
    if earlier is not None:
        from kbtool.vault.lazy import LazyNotes

        store = ParseCache(files.root, files.started_ns, lazy=True)
        notes = LazyNotes(files, store)
        state = incremental_check(earlier, files, notes, severities, today)
        del earlier
        if state is not None:
            store.save()
            if _read_as_listed(files, notes.loaded):
                records = state.records
                _store_result(
                    path, kind, fingerprint, files, state.result, lambda r: records[r].sha256.hex()
                )
                write_state(StateWriter(path, state_kind, files.started_ns), state)
            return WarmCheck(state.result.restricted_to(only), False, None, True)
    vault = given or _load_to_check(files, progress)
    writer = StateWriter(path, state_kind, files.started_ns)
    try:
        result = full_check(files, vault, severities, today, writer, progress=checking)
        if unchanged_since_listed(files, vault):
            _store_result(
                path, kind, fingerprint, files, result, lambda rel: vault.notes[rel].sha256
            )
            writer.finish()
    finally:
        writer.abandon()  # unless finished: the state is stored only with its result
    return WarmCheck(result.restricted_to(only), False, vault)


def _store_result(
    path: Path,
    kind: str,
    fingerprint: str,
    files: VaultFiles,
    result: CheckResult,
    sha256: Callable[[str], str],
) -> None:
    """The result, for a run with nothing changed, with the hash (hex) of each racily
    clean note as `sha256` (by path) gives it."""
    racy = racily_clean_notes(files, files.started_ns)
    hashes = {rel: sha256(rel) for rel, _path in racy}
    value = (result.diagnostics, result.notes, result.attachments, result.rules_run, hashes)
    write_result(path, kind, fingerprint, files.started_ns, value)


def _read_as_listed(files: VaultFiles, loaded: Mapping[str, Note]) -> bool:
    """Whether every note read was as the listing stamped it (no file changed between)."""
    for rel, _path, status in files.notes:
        note = loaded.get(rel)
        if note is None:
            continue
        if status is None or note.mtime_ns != status.st_mtime_ns or note.size != status.st_size:
            return False
    return True
