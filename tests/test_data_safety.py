"""Data safety, proven: read commands change no file; writes keep mode, owner and line
endings, refuse a file that changed underneath, and leave the original whole when the
process is killed between writing and renaming, or when the disk is full."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import NOBODY

from kbtool.cli import main
from kbtool.write.atomic import ConcurrentChangeError, write_atomic

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file systems")

FIXTURES = Path(__file__).parent / "fixtures"
DAY = "2026-11-26"
CRLF_NOTE = (
    b"---\r\ntitle: C\r\ncreated: 2026-01-01\r\nlast_reviewed: 2026-10-01\r\n---\r\nBody\r\n"
)
ALIAS_NOTE = "---\ntitle: AI\naliases: [AI]\n---\nx\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every file and folder under `root`: content hash (or 'dir'), mode and mtime."""
    state: dict[str, tuple[str, int, int]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if stat.S_ISDIR(info.st_mode):
            digest = "dir"
        elif stat.S_ISLNK(info.st_mode):
            digest = "link:" + os.readlink(path)
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        state[path.relative_to(root).as_posix()] = (digest, info.st_mode, info.st_mtime_ns)
    return state


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """The review fixture vault, plus a CRLF note, an attachment and a linked note."""
    root = Path(shutil.copytree(FIXTURES / "review", tmp_path / "vault"))
    (root / "Crlf.md").write_bytes(CRLF_NOTE)
    (root / "pic.png").write_bytes(b"\x89PNG\r\n")
    (root / "Alias of crlf.md").symlink_to("Crlf.md")
    return root


def test_read_commands_change_no_file(vault: Path, tmp_path: Path) -> None:
    """Each read command, with and without the parse cache, then the whole tree compared."""
    outside = tmp_path / "out"
    outside.mkdir()
    before = snapshot(vault)
    v = str(vault)
    commands = [
        ["check", v],
        ["check", v, "--no-cache", "--format", "json"],
        ["check", v, "--format", "sarif"],
        ["show", "Reviewed", "--vault", v],
        ["show", "Crlf", "--vault", v, "--format", "json"],
        ["graph", v],
        ["graph", v, "--format", "graphml"],
        ["stats", v],
        ["index", v],
        ["index", v, "--format", "json"],
        ["review", "due", v, "--today", DAY],
        ["review", "agenda", v, "--today", DAY],
        ["review", "ics", v, "-o", str(outside / "r.ics"), "--today", DAY],
        ["rules"],
        ["rules", "KB001"],
    ]
    for command in commands:
        code, _, err = run(*command)
        assert code in (0, 1), (command, err)
        assert snapshot(vault) == before, command
    assert (outside / "r.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


# -- what a write keeps ---------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a note to another user needs root")
def test_review_done_keeps_mode_owner_and_line_endings(vault: Path) -> None:
    note = vault / "Crlf.md"
    os.chown(note, NOBODY, NOBODY)
    os.chmod(note, 0o640)
    code, _, err = run("review", "done", "Crlf", "--vault", str(vault), "--today", DAY)
    assert (code, err) == (0, "")
    assert note.read_bytes() == CRLF_NOTE.replace(b"2026-10-01", b"2026-11-26")
    info = note.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (NOBODY, NOBODY, 0o640)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a note to another user needs root")
def test_check_fix_keeps_mode_owner_and_line_endings(tmp_path: Path) -> None:
    (tmp_path / "Artificial Intelligence.md").write_text(ALIAS_NOTE, "utf-8")
    note = tmp_path / "B.md"
    note.write_bytes(b"See [[AI]].\r\nMore.\r\n")
    os.chown(note, NOBODY, NOBODY)
    os.chmod(note, 0o604)
    run("check", str(tmp_path), "--select", "KB201", "--fix")
    assert note.read_bytes() == b"See [[Artificial Intelligence|AI]].\r\nMore.\r\n"
    info = note.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (NOBODY, NOBODY, 0o604)


def test_a_file_changed_underneath_is_not_replaced(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"edited by someone else\n")
    with pytest.raises(ConcurrentChangeError, match="changed on disk since it was read"):
        write_atomic(note, b"ours\n", expect=b"what we read\n")
    assert note.read_bytes() == b"edited by someone else\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.md"]  # no temporary file left


# -- killed between writing and renaming ----------------------------------------------

#: Runs kbtool with os.replace made to kill the process (SIGKILL, which nothing can
#: catch) at the moment the temporary file is complete and the rename would happen.
KILLED_AT_RENAME = """
import os, signal, sys
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = killed
from kbtool.cli import main
sys.argv = ["kbtool", *sys.argv[1:]]
main()
"""


def killed_at_rename(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", KILLED_AT_RENAME, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["review", "done", "Crlf", "Reviewed", "--today", DAY, "--vault", "{vault}"],
        ["check", "{vault}", "--select", "KB201", "--fix"],
        ["index", "{vault}", "-o", "{vault}/Index.md"],
    ],
    ids=["review-done", "check-fix", "index-o"],
)
def test_a_kill_between_write_and_rename_leaves_every_file_whole(
    vault: Path, command: list[str]
) -> None:
    (vault / "Artificial Intelligence.md").write_text(ALIAS_NOTE, "utf-8")
    (vault / "Linker.md").write_text("---\ntitle: L\n---\nSee [[AI]].\n", "utf-8")
    (vault / "Index.md").write_text("# The old index\n", "utf-8")
    before = snapshot(vault)
    result = killed_at_rename(*(part.format(vault=vault) for part in command))
    assert result.returncode == -signal.SIGKILL, result.stderr
    after = snapshot(vault)
    leftovers = sorted(set(after) - set(before))
    assert all(Path(p).name.startswith(".") and p.endswith(".tmp") for p in leftovers)
    assert {p: after[p] for p in before} == before
    assert len(leftovers) == 1  # the temporary file, hidden: no command reads it as a note
    code, out, _ = run("check", str(vault), "--select", "KB001")
    assert (code, out.splitlines()[-1]) == (0, "Checked 14 notes: 0 errors, 0 warnings, 0 infos.")


# -- a full disk ----------------------------------------------------------------------


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A real 64 KiB tmpfs (mounting needs root; the test is skipped without it)."""
    folder = Path(tempfile.mkdtemp(prefix="kbtool-tmpfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


def fill(disk: Path, leave: int) -> None:
    """Fill `disk` until fewer than `leave` bytes are free."""
    with open(disk / "filler", "wb") as handle:
        try:
            while shutil.disk_usage(disk).free >= leave:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError:
            pass


def test_a_full_disk_leaves_the_note_and_the_output_whole(small_disk: Path) -> None:
    vault = small_disk / "vault"
    vault.mkdir()
    body = "word " * 3000  # a 15 KB note: its temporary copy cannot fit
    note = vault / "A.md"
    note.write_text(f"---\ntitle: A\ncreated: 2026-01-01\n---\n{body}\n", "utf-8")
    (vault / "Index.md").write_text("# The old index\n" + body, "utf-8")
    fill(small_disk, 4096)  # not one page left: no new file fits
    before = snapshot(vault)
    code, out, err = run("review", "done", "A", "--vault", str(vault), "--today", DAY)
    assert (code, out) == (1, "")
    assert err == "kbtool: error: A.md: cannot write (No space left on device); not changed\n"
    code, out, err = run("index", str(vault), "-o", str(vault / "Index.md"))
    assert (code, out) == (2, "")
    assert err == f"kbtool: error: {vault / 'Index.md'}: cannot write (No space left on device)\n"
    assert snapshot(vault) == before  # no temporary file left either
