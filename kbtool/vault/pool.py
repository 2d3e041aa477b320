"""Read and parse a large vault's notes in two processes: this one and a worker.

A cold load is mostly parsing (YAML and the body scanner), one note at a time, so a
second core can nearly halve its wall time (not its CPU time: the work is the same,
plus the worker's start and the shipping). The worker is a forked copy of this
process, which has the parser imported already, when no other thread runs here (a
thread's locks would be the copy's, held forever; the progress bar has no thread);
else a fresh interpreter (`python -c`) that imports only the reader and the parser.
It takes chunks of notes from the end of the list, with one request
always queued ahead, while this process works from the start, so neither waits for
the other; each chunk comes back as one pickle of its notes in their column form
(see `kbtool.model`): pickling and unpickling cost about a sixth of parsing. The notes come out in
the order, and equal to what, one process gives.

It starts only when it repays its start (`POOL_NOTES` notes or more to read) and a
core is idle (`kbtool.base.cores`: sampled from `/proc/stat`, so that neither this
process nor what ran before it counts; on a busy machine a second process only waits
for a core, and shipping costs more than it saves). `KBTOOL_PARALLEL=on` always
starts it, `off` never (tests, benchmarks).
When the worker cannot start, dies or sends something it should not, this process
reads and parses whatever the worker did not deliver: the result is the same.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from kbtool import codes
from kbtool.base.cores import a_core_is_idle, usable_cores
from kbtool.base.fileread import MAX_NOTE_BYTES, NotReadable, read_regular
from kbtool.errors import KbtoolError
from kbtool.model import Frontmatter, Note, Problem, Span

#: Below this many notes to read, one process is as fast: the worker's start (an
#: interpreter and the parser's imports, about 0.3 CPU s and wall s measured here: what
#: one process parses 450 notes in) and the shipping (about 0.06 ms a note each way)
#: would eat the half of the parse it saves (at 1,000 notes, 0.55 s in one process).
POOL_NOTES = 2000
#: Notes per request: small enough that both processes finish together, large enough
#: that a pickle of many notes shares its repeated strings.
CHUNK = 100
#: Chunks still nobody's when this process hands them all to the worker and runs the
#: caller's `meanwhile` work: with the two chunks already asked, about what the worker
#: parses while this process prepares a check's rules (0.08 s at 10,000 notes).
MEANWHILE_CHUNKS = 1
ENV = "KBTOOL_PARALLEL"
#: Seconds the worker may stay silent while this process waits for it, before it is
#: taken for hung, stopped, and its notes parsed here.
SILENCE = 120.0
_HEADER = 8
#: The answer pipe's size: a few chunks of parsed notes (Linux lets anyone ask 1 MiB).
PIPE_BYTES = 1 << 20
#: The worker is a forked copy of this process where that is safe (POSIX, no other
#: thread), else a fresh interpreter (`_WORKER`). Tests of the interpreter's worker
#: turn it off.
FORK = True


class ParallelSettingError(KbtoolError, ValueError):
    """`KBTOOL_PARALLEL` holds something other than on, off or auto."""


def setting() -> str:
    """`KBTOOL_PARALLEL`: "on", "off" or "auto" (unset or empty)."""
    value = os.environ.get(ENV, "").strip().lower() or "auto"
    if value in {"1", "yes", "true"}:
        value = "on"
    elif value in {"0", "no", "false"}:
        value = "off"
    if value not in {"on", "off", "auto"}:
        raise ParallelSettingError(
            f"{ENV}={os.environ[ENV]!r}: expected on, off or auto (the default)"
        )
    return value


def worth_a_worker(notes: int, cores: int | None = None, idle: float | None = None) -> bool:
    """Whether reading `notes` notes should start a worker (see the module's doc);
    `idle`: the idle cores (`kbtool.base.cores.idle_cores`), sampled when None."""
    chosen = setting()
    if chosen != "auto" or os.name != "posix":
        return chosen == "on" and os.name == "posix"
    cores = usable_cores() if cores is None else cores
    if notes < POOL_NOTES or cores < 2:
        return False
    return a_core_is_idle(idle)


def unread(rel: str, message: str) -> Note:
    """The note of a file that could not be read: a KB001 problem, nothing else."""
    problem = Problem(codes.UNREADABLE_FILE, message, Span(1, 1, 1, 1))
    return Note(rel, 0, None, "", Frontmatter(), 1, problems=(problem,))


def read_file(rel: str, path: str | os.PathLike[str]) -> tuple[bytes, os.stat_result] | Note:
    """The bytes and status of a note's file, or (when it cannot be read: another kind
    of file, over `MAX_NOTE_BYTES`, an I/O error) the KB001 note that says why."""
    try:
        return read_regular(path, MAX_NOTE_BYTES)
    except NotReadable as exc:
        return unread(rel, f"not read: {exc.reason}")
    except OSError as exc:
        return unread(rel, f"cannot read file: {exc.strerror}")


class Task(NamedTuple):
    """A note for the worker: read it; with `expect` (the cache's SHA-256 of its last
    bytes, "" for none), hash it and parse it only when the hash differs."""

    rel: str
    path: str
    hashing: bool
    expect: str


class Done(NamedTuple):
    """What the worker did with a `Task`: `note` None when the bytes hashed to `expect`;
    `parsed` whether it parsed; `sha256` and `stamp` (size, mtime_ns, inode, ctime_ns) of what it
    read, when hashing."""

    note: Note | None
    parsed: bool
    sha256: str
    stamp: tuple[int, int, int, int] | None


def run_task(task: Task) -> Done:
    """Read (and hash) one note and parse it unless its bytes are the expected ones."""
    read = read_file(task.rel, task.path)
    if isinstance(read, Note):
        return Done(read, False, "", None)
    data, status = read
    stamp = (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns)
    sha = hashlib.sha256(data).hexdigest() if task.hashing else ""
    if task.hashing and sha == task.expect:
        return Done(None, False, sha, stamp)
    from kbtool.notes.parse import parse_note

    return Done(parse_note(task.rel, data, status.st_mtime_ns), True, sha, stamp)


class WorkerLost(Exception):
    """The worker died, could not start, or broke the protocol."""


def _write_frame(fd: int, blob: bytes) -> None:
    view = memoryview(len(blob).to_bytes(_HEADER, "little") + blob)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, size: int) -> bytes:
    parts: list[bytes] = []
    while size:
        part = os.read(fd, min(size, 1 << 20))
        if not part:
            raise EOFError
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _read_frame(fd: int) -> bytes:
    return _read_exact(fd, int.from_bytes(_read_exact(fd, _HEADER), "little"))


def serve(requests: int = 0, answers: int = 1) -> None:
    """The worker's loop: each request a chunk (its number and tasks), each answered
    with (number, the chunk's `Done`s). Ends at end of input."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops us
    while True:
        try:
            number, chunk = pickle.loads(_read_frame(requests))
        except EOFError:
            return
        done = [run_task(task) for task in chunk]
        _write_frame(answers, pickle.dumps((number, done), protocol=pickle.HIGHEST_PROTOCOL))


#: The worker's program: this very kbtool (its folder first on the path when it is not
#: there already; another copy found first makes the worker quit, and this process
#: parse alone), the collector off as in this process while it loads.
_WORKER = """
import gc, os, sys
gc.disable()
root, origin = sys.argv[1:3]
if root not in sys.path:
    sys.path.insert(0, root)
import kbtool.vault.pool as pool
if os.path.realpath(pool.__file__) != os.path.realpath(origin):
    sys.exit(3)
pool.serve()
"""


class _Worker:
    """One worker process and its two pipes. Requests are written without blocking (what
    the pipe cannot take yet waits in `pending`, sent whenever this process looks at the
    worker), so that neither process can wait on the other's full pipe."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | _Forked
        if FORK and hasattr(os, "fork") and threading.active_count() == 1:
            self.process, self.input, self.output = _Forked.start()
        else:
            self.process, self.input, self.output = self._interpreter()
        os.set_blocking(self.input, False)
        # A chunk of parsed notes is larger than a pipe's default 64 KiB: the worker would
        # wait, mid-write, until this process next looks up from its own notes.
        with contextlib.suppress(OSError, AttributeError):  # Linux only; best effort
            fcntl.fcntl(self.output, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self.pending = bytearray()

    @staticmethod
    def _interpreter() -> tuple[subprocess.Popen[bytes], int, int]:
        """A fresh Python running `_WORKER`, and its stdin and stdout."""
        root = str(Path(__file__).resolve().parents[2])
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _WORKER, root, __file__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                bufsize=0,
            )
        except OSError as exc:
            raise WorkerLost(str(exc)) from exc
        assert process.stdin is not None and process.stdout is not None
        return process, process.stdin.fileno(), process.stdout.fileno()

    def ask(self, number: int, chunk: Sequence[Task]) -> None:
        blob = pickle.dumps((number, list(chunk)), protocol=pickle.HIGHEST_PROTOCOL)
        self.pending += len(blob).to_bytes(_HEADER, "little") + blob
        self._write_some()

    def _write_some(self) -> None:
        try:
            written = os.write(self.input, self.pending)
        except BlockingIOError:
            return
        except OSError as exc:  # BrokenPipeError: it is gone
            raise WorkerLost(str(exc)) from exc
        del self.pending[:written]

    def ready(self, timeout: float) -> bool:
        """Whether an answer can be read, waiting up to `timeout` seconds (sending what is
        pending meanwhile)."""
        while True:
            writing = [self.input] if self.pending else []
            readable, writable, _ = select.select([self.output], writing, [], timeout)
            if writable:
                self._write_some()
            if readable:
                return True
            if not writable or timeout == 0:
                return False

    def receive(self) -> tuple[int, list[Done]]:
        try:
            number, done = pickle.loads(_read_frame(self.output))
        except Exception as exc:  # EOF (it died), or a frame that is not ours
            raise WorkerLost(str(exc)) from exc
        return number, done

    def close(self, lost: bool) -> None:
        """Stop the worker (at end of input, or killed when `lost`) and reap it: its CPU
        time is then this process's children's."""
        if lost:
            self.process.kill()
        with contextlib.suppress(OSError):
            os.close(self.input)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self.output)


class _Forked:
    """The worker as a forked copy of this process: it has the parser imported already,
    so it parses from the first moment instead of after an interpreter's start and the
    parser's imports (about 0.3 CPU s). Only without another thread in this process."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.status: int | None = None

    @classmethod
    def start(cls) -> tuple[_Forked, int, int]:
        """The copy, the pipe end that sends it requests and the one it answers on."""
        from kbtool.notes.parse import parse_note  # noqa: F401  imported once, for both

        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        try:
            pid = os.fork()
        except OSError as exc:
            for fd in (requests_read, requests_write, answers_read, answers_write):
                os.close(fd)
            raise WorkerLost(str(exc)) from exc
        if pid == 0:  # the copy: serve, then leave without running this process's exits
            code = 1
            try:
                os.close(requests_write)
                os.close(answers_read)
                gc.disable()  # as in the interpreter's worker
                serve(requests_read, answers_write)
                code = 0
            finally:
                os._exit(code)
        os.close(requests_read)
        os.close(answers_write)
        return cls(pid), requests_write, answers_read

    def kill(self) -> None:
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        """Reap the copy; `subprocess.TimeoutExpired` if it still runs after `timeout` s."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
            elif deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout or 0.0)
            else:
                time.sleep(0.01)
        return self.status


def in_two_processes(
    tasks: Sequence[Task],
    local: Callable[[int], Note],
    adopt: Callable[[int, Done], Note],
    advanced: Callable[[int], None],
    meanwhile: Callable[[Sequence[Note]], None] | None = None,
) -> list[Note]:
    """The note of each task: chunks from the start by `local(index)` here, chunks from
    the end by the worker, each of its `Done`s turned into the note by `adopt(index,
    done)`; `advanced(count)` after each note or chunk finished. Without a worker (it
    did not start or was lost), every remaining task runs here.

    `meanwhile(notes so far)` runs once, near the end, while the worker parses the last
    chunks: work the caller would do after the load in this process alone (a check
    prepares its rules), done in the time this process would spend waiting."""
    chunks = -(-len(tasks) // CHUNK)
    results: list[list[Note] | None] = [None] * chunks
    asked: deque[int] = deque()
    low, high = 0, chunks  # chunks [low, high) are nobody's yet
    worker: _Worker | None = None
    lost = True  # until the worker has delivered everything asked

    def run_here(number: int) -> None:
        start = number * CHUNK
        notes = []
        for index in range(start, min(start + CHUNK, len(tasks))):
            notes.append(local(index))
            advanced(1)
        results[number] = notes

    def take(number: int, done: list[Done]) -> None:
        start = number * CHUNK
        expected = min(CHUNK, len(tasks) - start)
        if number not in asked or len(done) != expected:
            raise WorkerLost(f"unexpected answer for chunk {number}")
        if any(
            d.note is not None and d.note.path != tasks[start + i].rel for i, d in enumerate(done)
        ):
            raise WorkerLost(f"chunk {number} holds other notes")
        asked.remove(number)
        results[number] = [adopt(start + i, d) for i, d in enumerate(done)]
        advanced(len(done))

    try:
        try:
            worker = _Worker()

            def ask_next() -> None:
                nonlocal high
                if low < high:
                    high -= 1
                    asked.append(high)
                    assert worker is not None
                    worker.ask(high, tasks[high * CHUNK : (high + 1) * CHUNK])

            ask_next()
            ask_next()  # one more queued: the worker never waits for a request
            while asked:
                if meanwhile is not None and high - low <= MEANWHILE_CHUNKS:
                    while low < high:
                        ask_next()
                    meanwhile([n for part in results if part is not None for n in part])
                    meanwhile = None
                while worker.ready(0 if low < high else SILENCE):
                    take(*worker.receive())
                    ask_next()
                    if not asked:
                        break
                else:
                    if low >= high:  # nothing left here, and the worker is silent
                        raise WorkerLost("no answer")
                if low < high:
                    run_here(low)
                    low += 1
            lost = False
        except WorkerLost:
            pass
        for number in sorted(asked):  # what the worker did not deliver
            run_here(number)
        asked.clear()
        while low < high:
            run_here(low)
            low += 1
    finally:
        if worker is not None:
            worker.close(lost)
    return [note for part in results if part is not None for note in part]
