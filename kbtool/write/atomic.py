"""Atomic file writes: a temporary file in the same folder, then a rename over the target.

A reader never sees a half-written file, and a crash or a full disk leaves the
old file intact (the temporary file is written and flushed to disk before the
rename; the rename is atomic). The new file keeps the old one's permission bits
and owner. A symbolic link is written through: its target is replaced, the link
stays (with `within`, only when the target is inside that folder). The write is
refused, and nothing changes, when the target is not a regular file (a device
node, a FIFO, a folder), is read-only, or, with `expect`, no longer holds those
bytes (someone edited it since we read it).

A text larger than memory (the index of a large vault) is written as it is made
(`write_text_pieces_atomic`, or `replacing` for any writer): only the temporary
file grows, and the target changes at the rename, once the last piece is in.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from kbtool.base.fileread import MAX_NOTE_BYTES, NotReadable, file_kind, read_regular
from kbtool.errors import KbtoolError

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class ConcurrentChangeError(KbtoolError):
    """The file changed on disk after it was read; nothing was written."""


class WriteRefused(KbtoolError, OSError):
    """The target must not be replaced (not a regular file, read-only, a link out of the
    vault); `strerror` says why in a few words, and nothing was written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.strerror = reason
        self.filename = str(path)

    def __str__(self) -> str:
        return str(self.strerror)


def write_atomic(
    path: Path, data: bytes, *, expect: bytes | None = None, within: Path | None = None
) -> None:
    """Replace the file at `path` (or its target, for a link) with `data`, atomically.

    Refused (`WriteRefused`) for anything but a regular file or a new name, for a
    read-only file and, with `within`, for a link that leads out of that folder;
    refused (`ConcurrentChangeError`) when the file no longer holds `expect`.
    """
    with replacing(path, expect=expect, within=within) as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str) -> None:
    """Write a generated text file (index, calendar, graph) atomically, UTF-8.

    A file name that is not UTF-8 reaches the text as surrogate escapes; each becomes
    U+FFFD, as on standard output, so that the file is valid UTF-8.
    """
    write_text_pieces_atomic(path, [text])


def write_text_pieces_atomic(path: Path, pieces: Iterable[str]) -> None:
    """`write_text_atomic` of the text that `pieces` join to, written piece by piece as
    they come, so that a text larger than memory (the index of a large vault) is never
    held whole. An exception while the pieces are made leaves the old file as it was."""
    with replacing(path) as handle:
        for piece in pieces:
            handle.write(_utf8(piece))


def _utf8(text: str) -> bytes:
    """`text` as UTF-8, each lone surrogate as U+FFFD (each code point on its own, so
    that pieces encoded apart join to the whole text encoded at once)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


@contextlib.contextmanager
def replacing(
    path: Path, *, expect: bytes | None = None, within: Path | None = None
) -> Iterator[BinaryIO]:
    """A binary file to write the new content of `path` into: a temporary file beside
    it, flushed to disk and renamed over it when the block ends, removed (the old file
    untouched) when the block raises. The refusals are `write_atomic`'s; the target is
    checked before the block runs, and `expect` once it has written everything."""
    target = real_target(Path(path), within)
    try:
        status: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        status = None
    if status is not None:
        _check_replaceable(target, status)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            _keep_mode_and_owner(handle.fileno(), target, status)
            os.fsync(handle.fileno())
        if expect is not None and _current_bytes(target, len(expect)) != expect:
            raise ConcurrentChangeError(f"{target}: changed on disk since it was read; not written")
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _sync_folder(target.parent)


def read_for_update(path: Path, within: Path | None = None, cap: int = MAX_NOTE_BYTES) -> bytes:
    """The bytes of the file that `write_atomic(path, ..., within=within)` would replace
    (read like a note: a regular file, through links, at most `cap` bytes)."""
    return read_regular(real_target(Path(path), within), cap)[0]


def real_target(path: Path, within: Path | None = None) -> Path:
    """The file a write to `path` replaces: `path`, or the end of its chain of links
    (which may not exist yet: writing creates it, as the shell's `>` does)."""
    if not path.is_symlink():
        return path
    real = Path(os.path.realpath(path))
    if real.is_symlink():
        raise WriteRefused(path, "a symbolic link loop")
    if within is not None and not real.is_relative_to(within.resolve()):
        raise WriteRefused(path, "a symbolic link out of the vault")
    return real


def _check_replaceable(target: Path, status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise WriteRefused(target, f"{file_kind(status.st_mode)}, not a regular file")
    if not status.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise WriteRefused(target, "read-only")


def _keep_mode_and_owner(fd: int, target: Path, status: os.stat_result | None) -> None:
    """Give the temporary file the target's mode and owner (a new file: 0666 less umask)."""
    if status is None:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        return
    os.fchmod(fd, stat.S_IMODE(status.st_mode))
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) != (status.st_uid, status.st_gid):
        try:
            os.fchown(fd, status.st_uid, status.st_gid)
        except PermissionError:
            raise WriteRefused(target, "owned by another user, who would lose it") from None
        os.fchmod(fd, stat.S_IMODE(status.st_mode))  # chown clears set-id bits


def _current_bytes(target: Path, expected_size: int) -> bytes | None:
    """What the target holds now (None when it is gone or is no longer a regular file)."""
    try:
        return read_regular(target, max(expected_size, 1))[0]
    except (NotReadable, FileNotFoundError):
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link
            return None
        raise


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk, where the platform allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
