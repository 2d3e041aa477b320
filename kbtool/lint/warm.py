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
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from kbtool.lint.engine import CheckResult, check, severities_for
from kbtool.model import Diagnostic
from kbtool.vault.cache import cache_path, read_result, write_result
from kbtool.vault.fingerprint import (
    racily_clean_notes,
    same_bytes,
    unchanged_since_listed,
    vault_fingerprint,
)
from kbtool.vault.load import Vault, VaultFiles, load_files

_KIND = "check"


@dataclass(frozen=True)
class WarmCheck:
    """A check's result, whether it was reused, and the vault when it had to be loaded."""

    result: CheckResult
    reused: bool
    vault: Vault | None


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
) -> WarmCheck:
    """`check()` of the listed vault, reusing the last result when nothing it depends on
    changed; otherwise the notes are loaded through the parse cache, checked, and the
    result stored for the next run. Raises `SelectionError` as `check()` does.
    `progress` hears of each note loaded, `checking` of each rule run."""
    today = today or dt.date.today()
    severities = severities_for(files.root, files.config, select, ignore)
    kind = f"{_KIND}/{_options_key(dict(severities), today)}"
    fingerprint = vault_fingerprint(files)
    path = cache_path(files.root)
    if fingerprint is not None:
        stored = read_result(path, kind)
        if stored is not None:
            key, checked_ns, value = stored
            found = _stored(value)
            if key == fingerprint and found is not None:
                result, checked = found
                if same_bytes(racily_clean_notes(files, checked_ns), checked):
                    return WarmCheck(result.restricted_to(only), True, None)
    vault = load_files(files, progress=progress, cache=True)
    result = check(vault, select=select, ignore=ignore, today=today, progress=checking)
    if fingerprint is not None and unchanged_since_listed(files, vault):
        racy = racily_clean_notes(files, files.started_ns)
        checked = {rel: vault.notes[rel].sha256 for rel, _path in racy}
        value = (result.diagnostics, result.notes, result.attachments, result.rules_run, checked)
        write_result(path, kind, fingerprint, files.started_ns, value)
    return WarmCheck(result.restricted_to(only), False, vault)
