"""A large cold load reads and parses in two processes, and ends with exactly the vault
(and the findings) one process gives: on the corpora and on generated vaults, with
and without the parse cache, and when the worker dies, hangs or talks nonsense. Real
processes, real files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from benchmark_scripts import load_script

from kbtool.model import Note
from kbtool.vault import load, pool
from kbtool.vault.load import Vault, load_vault, scan_vault
from tests.conftest import corpus_vaults

TODAY = "2026-11-26"
OLD_NS = 1_600_000_000 * 10**9


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated vault of 450 seed-shaped notes: five chunks, so both processes work."""
    out = tmp_path_factory.mktemp("generated") / "vault"
    load_script("generate_vault").generate(450, out, seed=3)
    return out


def _load(root: Path, parallel: str, monkeypatch: pytest.MonkeyPatch, **kw: bool) -> Vault:
    monkeypatch.setenv(pool.ENV, parallel)
    return load_vault(root, **kw)


def _same_vault(one: Vault, two: Vault) -> None:
    assert list(two.notes) == list(one.notes)  # the same order too
    assert two.notes == one.notes
    assert [repr(n) for n in two.notes.values()] == [repr(n) for n in one.notes.values()]
    assert (two.cache_hits, two.cache_misses, two.cache_hashed) == (
        one.cache_hits,
        one.cache_misses,
        one.cache_hashed,
    )


def _chunks_of_worker(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The chunk numbers the worker delivers from now on (recorded as they arrive)."""
    delivered: list[int] = []
    receive = pool._Worker.receive

    def recording(self: pool._Worker) -> tuple[int, list[pool.Done]]:
        number, done = receive(self)
        delivered.append(number)
        return number, done

    monkeypatch.setattr(pool._Worker, "receive", recording)
    return delivered


def test_the_worker_parses_chunks_from_the_end_and_the_vault_is_the_same(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _load(generated, "off", monkeypatch)
    delivered = _chunks_of_worker(monkeypatch)
    load.counts.reset()
    two = _load(generated, "on", monkeypatch)
    assert load.counts.parsed == 450  # the worker's parses are counted here too
    assert delivered[:2] == [4, 3]  # asked first: the last two chunks, always its own
    _same_vault(one, two)


def test_meanwhile_runs_once_while_the_worker_parses_every_chunk_left(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check prepares its rules (`meanwhile`) in the time this process would wait for
    the worker: once, with the notes loaded so far, after handing it every chunk left."""
    one = _load(generated, "off", monkeypatch)
    seen: list[tuple[int, list[str]]] = []
    delivered = _chunks_of_worker(monkeypatch)

    def meanwhile(notes: Sequence[Note]) -> None:
        seen.append((len(delivered), [note.path for note in notes]))

    monkeypatch.setenv(pool.ENV, "off")
    load.load_files(scan_vault(generated), meanwhile=meanwhile)
    assert seen == []  # one process: nothing to wait for
    monkeypatch.setenv(pool.ENV, "on")
    two = load.load_files(scan_vault(generated), meanwhile=meanwhile)
    _same_vault(one, two)
    [(received, paths)] = seen
    order = list(one.notes)
    assert paths == [path for path in order if path in set(paths)]  # in the vault's order
    chunks = -(-len(order) // pool.CHUNK)
    left = {i for i in range(chunks) if order[i * pool.CHUNK] not in paths}
    assert left  # the call came before the end
    assert sorted(delivered[received:]) == sorted(left)  # all of them the worker's


def test_corpora_load_the_same_in_two_processes(
    corpora: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "CHUNK", 7)  # the corpora are small: many chunks anyway
    delivered = _chunks_of_worker(monkeypatch)
    for root in corpus_vaults():
        _same_vault(_load(root, "off", monkeypatch), _load(root, "on", monkeypatch))
    assert delivered


def _age(root: Path) -> None:
    for path in root.rglob("*.md"):
        os.utime(path, ns=(OLD_NS, OLD_NS))


def test_with_the_cache_the_counts_and_the_cache_are_those_of_one_process(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same vault in two copies, one loaded in one process, one in two, each with its
    own cache: a first run, then a run after edits (new bytes; same bytes, new time)."""
    vaults = {}
    for parallel in ("off", "on"):
        copy = tmp_path / parallel
        subprocess.run(["cp", "-a", str(generated), str(copy)], check=True)
        _age(copy)
        vaults[parallel] = copy
    runs: dict[str, list[Vault]] = {"off": [], "on": []}
    for step in range(3):
        for parallel, root in vaults.items():
            notes = sorted(root.rglob("*.md"))
            if step == 1:
                notes[5].write_bytes(notes[5].read_bytes() + b"\nMore [[text]].\n")
                os.utime(notes[400], ns=(OLD_NS + 10**9, OLD_NS + 10**9))
                notes[449].write_bytes(b"# Replaced\n")
                for edited in (notes[5], notes[449]):  # the same time in both copies
                    os.utime(edited, ns=(OLD_NS + 2 * 10**9, OLD_NS + 2 * 10**9))
            load.counts.reset()
            runs[parallel].append(_load(root, parallel, monkeypatch, cache=True))
            runs[parallel][-1].root = vaults["off"]  # compared below: same but for the root
    for one, two in zip(runs["off"], runs["on"], strict=True):
        _same_vault(one, two)
    assert (runs["on"][0].cache_misses, runs["on"][0].cache_hits) == (450, 0)
    assert runs["on"][2].cache_hits == 450  # what the pool stored serves the next run


@pytest.mark.parametrize(
    "program",
    [
        "import os; os._exit(1)",  # dies at once
        "import sys; sys.stdout.buffer.write(b'\\xff' * 64); sys.stdout.flush()",  # nonsense
        # dies in the middle of its second chunk
        "import os, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import kbtool.vault.pool as p\n"
        "run, seen = p.run_task, []\n"
        "def dying(task):\n"
        "    seen.append(task)\n"
        "    if len(seen) > 130: os._exit(9)\n"
        "    return run(task)\n"
        "p.run_task = dying\n"
        "p.serve()\n",
    ],
    ids=["dies-at-start", "nonsense", "dies-midway"],
)
def test_a_lost_worker_leaves_the_vault_whole(
    generated: Path, monkeypatch: pytest.MonkeyPatch, program: str
) -> None:
    """The fresh interpreter's worker (the one used beside another thread)."""
    one = _load(generated, "off", monkeypatch)
    monkeypatch.setattr(pool, "FORK", False)
    monkeypatch.setattr(pool, "_WORKER", program)
    _same_vault(one, _load(generated, "on", monkeypatch))


def test_a_silent_worker_is_given_up(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that never answers is stopped once this process has nothing else to do
    and has waited `SILENCE` seconds; its chunks are parsed here."""
    one = _load(generated, "off", monkeypatch)
    monkeypatch.setattr(pool, "FORK", False)
    monkeypatch.setattr(pool, "_WORKER", "import time; time.sleep(600)")
    monkeypatch.setattr(pool, "SILENCE", 0.2)
    _same_vault(one, _load(generated, "on", monkeypatch))


def _dies_midway(run: Callable[[pool.Task], pool.Done]) -> Callable[[pool.Task], pool.Done]:
    seen: list[pool.Task] = []

    def dying(task: pool.Task) -> pool.Done:
        seen.append(task)
        if len(seen) > 130:
            os._exit(9)
        return run(task)

    return dying


def _talks_nonsense(requests: int = 0, answers: int = 1) -> None:
    os.write(answers, b"\xff" * 64)


@pytest.mark.parametrize("failure", ["dies-midway", "nonsense", "silent", "raises"])
def test_a_lost_forked_worker_leaves_the_vault_whole(
    generated: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """The forked worker (the default), each failure made in the copy by what it
    inherits from this process; its chunks are parsed here."""
    one = _load(generated, "off", monkeypatch)
    processes: list[pool._Forked] = []
    start = pool._Forked.start

    def recorded() -> tuple[pool._Forked, int, int]:
        forked = start()
        processes.append(forked[0])
        return forked

    monkeypatch.setattr(pool._Forked, "start", staticmethod(recorded))
    if failure == "dies-midway":
        monkeypatch.setattr(pool, "run_task", _dies_midway(pool.run_task))
    elif failure == "nonsense":
        monkeypatch.setattr(pool, "serve", _talks_nonsense)
    elif failure == "silent":
        monkeypatch.setattr(pool, "run_task", lambda task: time.sleep(600))
        monkeypatch.setattr(pool, "SILENCE", 0.2)
    else:
        monkeypatch.setattr(pool, "run_task", lambda task: 1 / 0)
    _same_vault(one, _load(generated, "on", monkeypatch))
    assert len(processes) == 1  # it was forked, and it is reaped
    ended = {"dies-midway": {9}, "nonsense": {0, -9}, "silent": {-9}, "raises": {1}}
    assert processes[0].status in ended[failure]


def test_the_forked_worker_ends_at_end_of_input(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    processes: list[pool._Forked] = []
    start = pool._Forked.start
    monkeypatch.setattr(
        pool._Forked,
        "start",
        staticmethod(lambda: (forked := start(), processes.append(forked[0]))[0]),
    )
    _same_vault(_load(generated, "off", monkeypatch), _load(generated, "on", monkeypatch))
    assert [p.status for p in processes] == [0]


def test_beside_a_thread_the_worker_is_a_fresh_interpreter(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    forks: list[int] = []
    start = pool._Forked.start
    monkeypatch.setattr(pool._Forked, "start", staticmethod(lambda: (forks.append(1), start())[1]))
    delivered = _chunks_of_worker(monkeypatch)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        two = _load(generated, "on", monkeypatch)
    finally:
        stop.set()
        other.join()
    assert forks == [] and delivered  # a worker ran, and it was not forked
    _same_vault(_load(generated, "off", monkeypatch), two)


def test_progress_counts_every_note_once_in_order(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int]] = []
    monkeypatch.setenv(pool.ENV, "on")
    load_vault(generated, progress=lambda done, total: seen.append((done, total)))
    assert {total for _done, total in seen} == {450}
    assert [done for done, _total in seen] == sorted({done for done, _total in seen})
    assert seen[-1] == (450, 450)


@pytest.mark.parametrize(
    ("setting", "notes", "cores", "idle", "expected"),
    [
        ("", 1999, 2, 2.0, False),  # too few notes to repay the worker
        ("", 2000, 2, 1.6, True),
        ("auto", 5000, 2, 1.2, False),  # the second core is mostly busy
        ("", 5000, 1, 1.0, False),  # one core
        ("", 5000, 4, 1.5, True),
        ("on", 1, 1, 0.0, True),
        ("1", 1, 1, 0.0, True),
        ("off", 10**6, 8, 8.0, False),
        ("0", 10**6, 8, 8.0, False),
    ],
)
def test_when_a_worker_starts(
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    notes: int,
    cores: int,
    idle: float,
    expected: bool,
) -> None:
    monkeypatch.setenv(pool.ENV, setting)
    assert pool.worth_a_worker(notes, cores=cores, idle=idle) is expected


def test_a_bad_setting_is_one_line_and_exit_2(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**os.environ, pool.ENV: "maybe"}
    done = subprocess.run(
        [sys.executable, "-m", "kbtool", "check", str(generated), "--no-cache"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "kbtool: error: KBTOOL_PARALLEL='maybe': expected on, off or auto (the default)\n"
    )
    monkeypatch.setenv(pool.ENV, "maybe")
    with pytest.raises(load.VaultError, match="KBTOOL_PARALLEL='maybe'"):
        scan_vault(generated)


def _check_command(root: Path, parallel: str, *more: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, pool.ENV: parallel}
    return subprocess.run(
        [sys.executable, "-m", "kbtool", "check", str(root), "--today", TODAY, *more],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("cache", [["--no-cache"], []], ids=["no-cache", "cache"])
def test_the_command_finds_the_same_in_two_processes(
    generated: Path, corpora: Path, cache: list[str]
) -> None:
    """`python -m kbtool check` (the worker is started from the command, not from a test),
    every format's bytes compared: the generated vault and every corpus."""
    for root in [generated, *corpus_vaults()]:
        for form in ("text", "json"):
            one = _check_command(root, "off", "--format", form, *cache)
            two = _check_command(root, "on", "--format", form, *cache)
            assert (two.returncode, two.stdout, two.stderr) == (
                one.returncode,
                one.stdout,
                one.stderr,
            )
            assert one.stdout


def test_the_answer_pipe_holds_several_chunks_of_notes() -> None:
    """A chunk of parsed notes is larger than a pipe's default 64 KiB: the worker must
    not have to wait, mid-write, for this process to look up from its own notes."""
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipe sizes are a Linux setting")
    worker = pool._Worker()
    try:
        assert fcntl.fcntl(worker.output, fcntl.F_GETPIPE_SZ) >= pool.PIPE_BYTES
    finally:
        worker.close(lost=True)
