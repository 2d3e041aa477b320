"""Run a whole vault's rules in two processes: this one and a forked copy of it.

After a cold load, the rules are what a check still does in one process (about 3 CPU s
of a 10,000-note check, a third of its wall time once the parse has a worker). A rule
of one note gives, for any set of notes, exactly the findings that a check of the
whole vault gives for them (`kbtool.lint.context`), so its notes can be shared out: a
forked copy of this process, which has the vault already (its memory is shared until
written), runs the rules of one note on the last notes, while this process runs the
rules that need every note and the rules of one note on the first `OWN_SHARE` of
them; then it reads the copy's findings from a pipe. The findings come out as one
process makes them, in the same order for each path.

Fork, not a fresh interpreter: a fresh one would need the vault shipped to it, which
costs more than the rules. It is done only where fork is safe and pays: on POSIX, with
no other thread in this process (the progress bar has none), `KBTOOL_PARALLEL` not
`off`, and the conditions of the parse worker (`kbtool.vault.pool.worth_a_worker`: a
large vault and an idle core). When the copy cannot start, dies or sends something
damaged, this process runs its share itself: the findings are the same.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from kbtool.lint.context import RuleContext
from kbtool.lint.rulerun import Found, run_rules
from kbtool.model import Severity
from kbtool.vault.pool import worth_a_worker

#: This process's share of the notes for the rules of one note. It also runs the
#: rules that need every note (about a third of all the rules' time, including the
#: resolution of every link), so its share is the smaller one: the two then finish
#: close together (measured at 10,000 generated notes).
OWN_SHARE = 0.3


def run_rules_split(
    ctx: RuleContext,
    severities: dict[str, Severity],
    codes: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Found]:
    """`run_rules(ctx, severities, codes, progress)` for a check of every note, in two
    processes when that pays (see the module's doc)."""
    if ctx.subjects is not None or not _can_fork(len(ctx.vault.notes)):
        return run_rules(ctx, severities, codes, progress)
    return split_rules(ctx, severities, codes, OWN_SHARE, progress)


def split_rules(
    ctx: RuleContext,
    severities: dict[str, Severity],
    codes: Sequence[str],
    own_share: float,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Found]:
    """The rules `codes` over every note, those of one note on the notes after the first
    `own_share` of them in a forked copy (run here if the copy fails)."""
    from kbtool.lint.registry import all_rules

    rules = all_rules()
    vault_codes = [c for c in codes if rules[c].vault_input is not None]
    note_codes = [c for c in codes if rules[c].vault_input is None]
    notes = ctx.notes
    _prepare(ctx)
    cut = int(len(notes) * own_share)
    theirs_ctx = replace(ctx, subjects=notes[cut:])
    copy = _Copy.start(lambda: run_rules(theirs_ctx, severities, note_codes))
    try:
        total = len(codes)
        found = run_rules(ctx, severities, vault_codes, _offset(progress, 0, total))
        mine = run_rules(
            replace(ctx, subjects=notes[:cut]),
            severities,
            note_codes,
            _offset(progress, len(vault_codes), total),
        )
        theirs = copy.result() if copy is not None else None
    finally:
        if copy is not None:
            copy.close()
    if theirs is None:
        theirs = run_rules(theirs_ctx, severities, note_codes)
    return merged((found, mine, theirs), codes)


def _prepare(ctx: RuleContext) -> None:
    """Before the fork, what both processes would otherwise each make: every link
    resolved (the rules that need every note need them all here anyway), the index of
    names for "did you mean" when a link is broken, and the schema's models."""
    from kbtool.lint.schema import prepare_models

    if any(item.target is None for item in ctx.links):
        ctx.vault.resolver.prepare_suggestions()
    prepare_models(ctx.notes, ctx.config)


def merged(parts: Sequence[dict[str, Found]], codes: Sequence[str]) -> dict[str, Found]:
    """The findings of rules run apart, as one run of `codes` gives them: for each path,
    by rule in the order of `codes`, each rule's in the order it found them."""
    order = {code: i for i, code in enumerate(codes)}
    found: dict[str, Found] = {}
    for part in parts:
        for path, items in part.items():
            found.setdefault(path, []).extend(items)
    for items in found.values():
        if len({code for code, _ in items}) > 1:
            items.sort(key=lambda item: order[item[0]])  # stable: each rule's own order
    return found


def _offset(
    progress: Callable[[int, int], None] | None, before: int, total: int
) -> Callable[[int, int], None] | None:
    """A rule run's progress as part of all `total` rules, after `before` of them."""
    if progress is None:
        return None
    return lambda done, _count: progress(before + done, total)


def _can_fork(notes: int) -> bool:
    return (
        hasattr(os, "fork")
        and threading.active_count() == 1
        and worth_a_worker(notes)  # POSIX, KBTOOL_PARALLEL, vault size, an idle core
    )


class _Copy:
    """A forked copy of this process working on `work`, and the pipe of its answer."""

    def __init__(self, pid: int, answer: int) -> None:
        self.pid = pid
        self.answer = answer
        self.status: int | None = None

    @classmethod
    def start(cls, work: Callable[[], dict[str, Found]]) -> _Copy | None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return None
        if pid == 0:  # the copy: answer, then leave without running this process's exits
            code = 1
            try:
                os.close(read)
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it, quietly
                gc.disable()  # a collection would write to (and so copy) every page
                blob = memoryview(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
                while blob:
                    blob = blob[os.write(write, blob) :]
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        return cls(pid, read)

    def result(self) -> dict[str, Found] | None:
        """The copy's findings, or None when it failed (or sent what is not findings)."""
        parts: list[bytes] = []
        while part := os.read(self.answer, 1 << 20):
            parts.append(part)
        self._reap(0)
        if self.status != 0:
            return None
        try:
            answer = pickle.loads(b"".join(parts))
        except Exception:  # a damaged answer is not trusted: the share is run here
            return None
        return answer if isinstance(answer, dict) else None

    def _reap(self, flags: int) -> None:
        if self.status is None:
            pid, status = os.waitpid(self.pid, flags)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        """Stop the copy if it still runs (this process was interrupted), and reap it."""
        with contextlib.suppress(OSError):
            os.close(self.answer)
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap(0)
