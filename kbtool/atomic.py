"""Atomic file writes: a temporary file in the same folder, then a rename over the target.

A reader never sees a half-written file, a crash leaves the old file intact,
and the file keeps its permission bits. With `expect`, the write is refused
when the file on disk no longer holds those bytes (someone edited it since
we read it).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class ConcurrentChangeError(Exception):
    """The file changed on disk after it was read; nothing was written."""


def write_atomic(path: Path, data: bytes, *, expect: bytes | None = None) -> None:
    """Replace `path` with `data` atomically; refuse if it no longer holds `expect`."""
    path = Path(path)
    folder = path.parent
    mode: int | None = None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        if expect is not None and path.read_bytes() != expect:
            raise ConcurrentChangeError(f"{path}: changed on disk since it was read; not written")
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write a generated text file (index, calendar, graph) atomically, UTF-8."""
    write_atomic(path, text.encode("utf-8"))
