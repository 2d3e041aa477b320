"""Read a file of the vault without hanging, without following a link, and with a size cap.

A vault can hold anything a folder can: a FIFO named `x.md` (reading it waits for
a writer forever), a device node (`/dev/zero` never ends), a link to itself.
Notes and `kbtool.toml` are read only when they are regular files: the file is
opened without blocking and without following a final symbolic link, the open
descriptor (not the name, which may change in between) is checked to be a
regular file, and at most `cap + 1` bytes are read, so a file over the cap is
known to be over it without reading it all.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: The largest note kbtool reads (8 MiB; the longest note of four real vaults is 90 KB).
MAX_NOTE_BYTES = 8 * 1024 * 1024
#: The largest `kbtool.toml` kbtool reads.
MAX_CONFIG_BYTES = 1024 * 1024

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_CHUNK = 1 << 16


class NotReadable(OSError):
    """The file is not one kbtool reads (not a regular file, or over the cap).

    `reason` is one phrase for a finding or an error message: "a FIFO, not a regular file".
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(reason)
        self.strerror = reason
        self.filename = os.fspath(path)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def names_file(path: Path) -> bool:
    """Whether `path` names an existing file (following links). False, not an exception,
    when it cannot be a path at all: over 255 bytes, a NUL byte, a link loop, or a folder
    on the way that one may not enter. Command-line arguments and vault markers are
    tested this way, since `Path.is_file` raises for those."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def names_folder(path: Path) -> bool:
    """Whether `path` names an existing folder; False where `names_file` is False."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words, from its `st_mode`."""
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def size_text(size: int) -> str:
    """8388608 -> '8 MiB' (the caps are whole KiB or MiB)."""
    if size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    return f"{size // 1024} KiB" if size % 1024 == 0 else f"{size} bytes"


def read_regular(path: str | os.PathLike[str], cap: int) -> tuple[bytes, os.stat_result]:
    """The bytes and status of the regular file `path`, of at most `cap` bytes.

    Raises `NotReadable` for anything else (a FIFO, a device, a folder, a file over
    the cap) and `OSError` when it cannot be opened; a symbolic link as the last
    component is `OSError` (ELOOP): resolve links before calling this.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise NotReadable(path, f"{file_kind(status.st_mode)}, not a regular file")
        if status.st_size > cap:
            raise NotReadable(path, f"larger than the {size_text(cap)} cap")
        first = os.read(fd, min(status.st_size, cap) + 1)
        if len(first) <= status.st_size:  # a short read of a regular file is its end:
            return first, status  # one system call for the usual file, not two
        chunks: list[bytes] = [first]
        left = cap + 1 - len(first)
        while left > 0:
            chunk = os.read(fd, min(_CHUNK, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise NotReadable(path, f"larger than the {size_text(cap)} cap")
        return b"".join(chunks), status
    finally:
        os.close(fd)


def resolve_link(path: Path, root: Path | None = None) -> Path:
    """The real path a symbolic link leads to, through every link on the way.

    Raises `NotReadable` when the link leads nowhere (a loop, a missing target) or,
    with `root` (a resolved folder), out of `root`.
    """
    try:
        real = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotReadable(path, "a symbolic link loop") from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise NotReadable(path, "a symbolic link to a missing file") from None
        raise
    if root is not None and not real.is_relative_to(root):
        raise NotReadable(path, "a symbolic link out of the vault")
    return real


def read_inside(path: Path, root: Path, cap: int = MAX_NOTE_BYTES) -> bytes:
    """The bytes of the regular file `path` of the folder `root`, through a symbolic link
    only when it leads to a file inside `root`; `NotReadable` or `OSError` otherwise."""
    if path.is_symlink():
        path = resolve_link(path, root.resolve())
    return read_regular(path, cap)[0]
