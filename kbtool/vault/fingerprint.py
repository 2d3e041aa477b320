"""What a cached result of the whole vault is keyed by, and how a stored result is
vouched for: a fingerprint of the listing (each note by its stamp, which the listing
gives without opening a file), and git's racily-clean rule for the notes whose stamp
the stored run cannot vouch for (those are hashed).

Every cached whole-vault result (the warm check, and the commands above it) uses
these, so they live below all of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from pathlib import Path

from kbtool.base.fileread import MAX_NOTE_BYTES, read_regular
from kbtool.vault import load
from kbtool.vault.cache import FORMAT, FileStamp, racily_clean
from kbtool.vault.load import Vault, VaultFiles


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def vault_fingerprint(files: VaultFiles, unstamped: Collection[str] = ()) -> str | None:
    """A digest of everything but the options that a check's findings depend on; None
    when a note could not be stamped (then nothing is reused). The notes in `unstamped`
    count by their path alone: the caller vouches for their bytes by hash (a note the
    command itself rewrites each run, such as `index -o VAULT/Index.md`)."""
    digest = hashlib.sha256(_encode(FORMAT))
    digest.update(_encode(repr(_settings(files))))
    for rel, _path, status in files.notes:
        if status is None:
            return None
        stamp = f"\n{rel}\0{tuple(FileStamp.of(status))}"
        if rel in unstamped:
            stamp = f"\n{rel}\0hashed"
        digest.update(_encode(stamp))
    digest.update(_encode(repr(_entries(files))))
    return digest.hexdigest()


def listing_digest(files: VaultFiles) -> str:
    """A digest of what `vault_fingerprint` digests but the notes' stamps: the
    configuration and the listing (note paths, attachments, skipped entries)."""
    text = repr((FORMAT, _settings(files), (files.note_paths, *_entries(files))))
    return hashlib.sha256(_encode(text)).hexdigest()


def _settings(files: VaultFiles) -> tuple[str, str, str]:
    config = files.config
    # the settings are plain dataclasses of TOML values: their repr names every field
    return (repr(config.settings), repr(config.obsidian), str(config.path))


def _entries(files: VaultFiles) -> tuple[object, ...]:
    """The listing's files other than notes."""
    return (files.attachments, files.skipped, [tuple(u) for u in files.unreadable])


def racily_clean_notes(files: VaultFiles, checked_ns: int) -> list[tuple[str, str | Path]]:
    """The notes whose stamp a check that began at `checked_ns` cannot vouch for."""
    return [
        (rel, path)
        for rel, path, status in files.notes
        if status is not None and racily_clean(status.st_mtime_ns, checked_ns)
    ]


def note_sha256(path: str | Path) -> str | None:
    load.counts.hashed += 1
    try:
        return hashlib.sha256(read_regular(Path(path), MAX_NOTE_BYTES)[0]).hexdigest()
    except OSError:
        return None


def same_bytes(racy: list[tuple[str, str | Path]], checked: dict[str, str]) -> bool:
    """Whether each racily clean note still holds the bytes that were checked."""
    return all(rel in checked and note_sha256(path) == checked[rel] for rel, path in racy)


def unchanged_since_listed(files: VaultFiles, vault: Vault) -> bool:
    """Whether every note was read as the listing stamped it (no file changed between)."""
    for rel, _path, status in files.notes:
        note = vault.notes.get(rel)
        if status is None or note is None:
            return False
        if note.mtime_ns != status.st_mtime_ns or note.size != status.st_size:
            return False
    return True
