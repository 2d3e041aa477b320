"""Files that are not regular files: FIFOs, devices, link loops and links out of the vault
are skipped with a KB001 finding; notes and kbtool.toml are read with a size cap.

Every command runs in a child process with a timeout, because the failure these
tests guard against is a hang (reading a FIFO waits for a writer forever).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs and symlinks need POSIX")

NOTE = "---\ntitle: {0}\n---\nSee [[A]] and [[B]].\n"


def kbtool(
    *args: str, timeout: float = 30, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m kbtool ARGS` in `cwd`, the folder its paths are shown from."""
    return subprocess.run(
        [sys.executable, "-m", "kbtool", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    for name in ("A", "B"):
        (root / f"{name}.md").write_text(NOTE.format(name), "utf-8")
    return root


def kb001(out: str) -> list[str]:
    return [line for line in out.splitlines() if " KB001 " in line]


def test_fifo_device_and_link_loop_are_skipped_with_a_finding(vault: Path) -> None:
    os.mkfifo(vault / "x.md")
    (vault / "zero.md").symlink_to("/dev/zero")
    (vault / "loop.md").symlink_to("loop.md")
    (vault / "passwd.md").symlink_to("/etc/passwd")
    (vault / "gone.md").symlink_to("nowhere.md")
    result = kbtool("check", str(vault), "--select", "KB001,KB201", cwd=vault)
    assert "Traceback" not in result.stderr
    assert kb001(result.stdout) == [
        "gone.md:1:1: KB001 error: a symbolic link to a missing file; skipped",
        "loop.md:1:1: KB001 error: a symbolic link loop; skipped",
        "passwd.md:1:1: KB001 error: a symbolic link out of the vault; skipped",
        "x.md:1:1: KB001 error: a FIFO, not a regular file; skipped",
        "zero.md:1:1: KB001 error: a symbolic link out of the vault; skipped",
    ]
    assert result.stdout.splitlines()[-1] == "Checked 2 notes: 5 errors, 0 warnings, 0 infos."


def test_a_device_node_inside_the_vault_is_skipped(vault: Path) -> None:
    """A character device made with mknod (tests run as root), so that it is inside the vault."""
    try:
        os.mknod(vault / "dev.md", 0o600 | 0o020000, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        pytest.skip("mknod needs root")
    (vault / "to-dev.md").symlink_to("dev.md")
    result = kbtool("check", str(vault), "--select", "KB001", cwd=vault)
    assert kb001(result.stdout) == [
        "dev.md:1:1: KB001 error: a character device, not a regular file; skipped",
        "to-dev.md:1:1: KB001 error: a character device, not a regular file; skipped",
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to("kbtool.toml"), "not read: a symbolic link loop"),
        (lambda p: p.symlink_to("/etc/passwd"), "not read: a symbolic link out of the vault"),
        (lambda p: os.mkfifo(p), "not read: a FIFO, not a regular file"),
        (
            lambda p: p.write_bytes(b"#" * (1024 * 1024 + 1)),
            "not read: larger than the 1 MiB cap",
        ),
    ],
    ids=["self-link", "etc-passwd", "fifo", "over-cap"],
)
def test_a_hostile_kbtool_toml_is_one_line_exit_2(vault: Path, make, message: str) -> None:
    make(vault / "kbtool.toml")
    for command in (["check", str(vault)], ["stats", str(vault)]):
        result = kbtool(*command)
        assert result.returncode == 2
        assert result.stderr == f"kbtool: error: {vault / 'kbtool.toml'}: {message}\n"


def test_a_kbtool_toml_linked_inside_the_vault_is_read(vault: Path) -> None:
    (vault / "conf").mkdir()
    (vault / "conf" / "real.toml").write_text('[rules]\nselect = ["KB201"]\n', "utf-8")
    (vault / "kbtool.toml").symlink_to("conf/real.toml")
    (vault / "A.md").write_text(NOTE.format("A") + "[[Missing]]\n", "utf-8")
    result = kbtool("check", str(vault), cwd=vault)
    assert result.stdout.splitlines()[0] == "A.md:5:1: KB201 error: [[Missing]] matches no note"


def test_a_note_over_the_cap_is_kb001_with_the_cap(vault: Path) -> None:
    (vault / "Huge.md").write_bytes(b"x" * (8 * 1024 * 1024 + 1))
    (vault / "Cap.md").write_bytes(b"x" * (8 * 1024 * 1024))
    result = kbtool("check", str(vault), "--select", "KB001", cwd=vault)
    assert kb001(result.stdout) == ["Huge.md:1:1: KB001 error: not read: larger than the 8 MiB cap"]


def test_read_regular_reads_at_most_cap_plus_one_bytes_of_a_stream(tmp_path: Path) -> None:
    """A FIFO with a writer that never stops is refused from fstat, before any read."""
    from kbtool.base.fileread import NotReadable, read_regular

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"yes > '{fifo}'"])
    try:
        with pytest.raises(NotReadable, match="a FIFO, not a regular file"):
            read_regular(fifo, 10)
    finally:
        writer.kill()
        writer.wait()
    small = tmp_path / "small"
    small.write_bytes(b"12345")
    assert read_regular(small, 5)[0] == b"12345"
    with pytest.raises(NotReadable, match="larger than the 4 bytes cap"):
        read_regular(small, 4)


#: Loads the vault, replaces B.md by a FIFO, then does what `show` and `index` do after
#: loading: read the backlinking note for its snippet, and the note for its summary.
REREAD_AFTER_LOADING = """
import os, sys
from pathlib import Path
from kbtool.index.note_card import describe_note
from kbtool.index.build import summary_of
from kbtool.vault.load import load_vault
vault = Path(sys.argv[1])
loaded = load_vault(vault)
(vault / "B.md").unlink()
os.mkfifo(vault / "B.md")
info = describe_note(loaded, "A.md")
print([(b["source"], b["snippet"]) for b in info["backlinks"]])
print(repr(summary_of(loaded, loaded.notes["B.md"])))
"""


def test_a_note_replaced_by_a_fifo_after_loading_blocks_no_reader(vault: Path) -> None:
    """In a child process with a timeout: reading the FIFO would block forever."""
    result = subprocess.run(
        [sys.executable, "-c", REREAD_AFTER_LOADING, str(vault)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines() == ["[('B.md', '')]", "''"], result.stderr
