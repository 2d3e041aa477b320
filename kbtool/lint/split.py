"""Run a whole vault's rules in two processes: this one and a forked copy of it.

After a cold load, the rules are what a check still does in one process (about 3 CPU s
of a 10,000-note check, a third of its wall time once the parse has a worker). A rule
of one note gives, for any set of notes, exactly the findings that a check of the
whole vault gives for them (`kbtool.lint.context`), so its notes can be shared out: a
forked copy of this process, which has the vault already (its memory is shared until
written), runs the rules of one note on the last notes, while this process runs them
on the first `OWN_SHARE` of the notes, and the vault-wide rules. Each process resolves
only its own notes' links: the vault-wide rule that needs every link (orphans) is
made from per-note inputs (`Rule.from_inputs`), which each process makes for its
notes, and the others need no link (embed cycles resolve embeds alone). The copy's
findings and inputs come back through a pipe; the findings come out as one process
makes them, in the same order for each path.

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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeGuard

from kbtool.lint.context import RuleContext
from kbtool.lint.rulerun import Found, run_rules
from kbtool.model import Severity
from kbtool.vault.pool import worth_a_worker

if TYPE_CHECKING:
    from kbtool.config import Config
    from kbtool.lint.registry import Rule
    from kbtool.model import Note
    from kbtool.vault.resolve import ResolvedLink

#: This process's share of the notes for the rules of one note. It also runs the
#: vault-wide rules (about a tenth of all the rules' time) and merges, so its share
#: is a little under half: the two then finish close together (measured at 10,000
#: generated notes: at 0.4 this process waited 0.2 to 0.6 s for the copy, at 0.5
#: the copy waited for it; 0.45 since the load prepares the rules before the fork).
OWN_SHARE = 0.45

#: What a share of the notes gives: the findings of the rules of one note in them, for
#: each vault-wide rule made from per-note inputs the input of each of the notes, and the
#: "did you mean" hints made (`Resolver.suggestions`: a check that stores its state for
#: the next run stores them, so that a later check of one note need not index names).
ShareResult = tuple[dict[str, Found], dict[str, dict[str, object]], dict[str, str | None]]


def prepare_split(config: Config) -> Callable[[Sequence[Note]], None]:
    """What a split check makes before its fork (the rules imported, the schema's validators
    of the note types among `notes`), as work for a load to do while it waits for its
    parse worker (`kbtool.vault.load.load_files`, `meanwhile`): about 0.25 s that the
    check would otherwise spend in this process alone. The validators of types only the
    worker's notes have are made before the fork, as before."""

    def prepare(notes: Sequence[Note]) -> None:
        from kbtool.lint.registry import all_rules
        from kbtool.lint.schema import prepare_validators

        all_rules()
        prepare_validators(notes, config)

    return prepare


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
    from kbtool.lint.schema import prepare_validators

    share = _Share(all_rules(), severities, codes)
    notes = ctx.notes
    prepare_validators(notes, ctx.config)  # made once, before the fork, for both processes
    cut = int(len(notes) * own_share)
    theirs_ctx = replace(ctx, subjects=notes[cut:])
    copy = _Copy.start(lambda: share.run(theirs_ctx))
    try:
        total = len(codes)
        found = run_rules(ctx, severities, share.whole_codes, _offset(progress, 0, total))
        mine = share.run(replace(ctx, subjects=notes[:cut]))
        answer = copy.result() if copy is not None else None
    finally:
        if copy is not None:
            copy.close()
    theirs = answer if _is_share(answer) else share.run(theirs_ctx)
    ctx.vault.resolver.adopt_suggestions(theirs[2])
    if progress is not None:
        progress(total, total)
    made = share.from_inputs(ctx, (mine[1], theirs[1]))
    return merged((found, mine[0], theirs[0], made), codes)


class _Share:
    """The rules as a split check runs them. The rules of one note, and the inputs of the
    vault-wide rules made from per-note inputs, run on a share of the notes (in either
    process; each note's links resolved once there); the other vault-wide rules, none
    of which resolves every link, run in this process."""

    def __init__(
        self, rules: Mapping[str, Rule], severities: dict[str, Severity], codes: Sequence[str]
    ) -> None:
        self.rules = rules
        self.severities = severities
        self.note_codes = [c for c in codes if rules[c].vault_input is None]
        self.input_codes = [c for c in codes if rules[c].vault_input and rules[c].from_inputs]
        self.whole_codes = [
            c for c in codes if rules[c].vault_input and rules[c].from_inputs is None
        ]

    def run(self, ctx: RuleContext) -> ShareResult:
        """The findings of the rules of one note in `ctx.notes`, and their inputs."""
        found = run_rules(ctx, self.severities, self.note_codes)
        by_note: dict[str, list[ResolvedLink]] = {}
        for item in ctx.links:  # resolved for the rules above already
            by_note.setdefault(item.note.path, []).append(item)
        inputs: dict[str, dict[str, object]] = {}
        for code in self.input_codes:
            vault_input = self.rules[code].vault_input
            assert vault_input is not None
            inputs[code] = {
                note.path: vault_input(ctx, note, by_note.get(note.path, [])) for note in ctx.notes
            }
        return found, inputs, ctx.vault.resolver.suggestions()

    def from_inputs(
        self, ctx: RuleContext, parts: Sequence[dict[str, dict[str, object]]]
    ) -> dict[str, Found]:
        """The findings of the rules made from per-note inputs, from every share's inputs,
        taken in vault order as one process gives them to the rule."""
        found: dict[str, Found] = {}
        for code in self.input_codes:
            make = self.rules[code].from_inputs
            assert make is not None
            inputs: dict[str, object] = {}
            for part in parts:
                inputs.update(part[code])
            ordered = {note.path: inputs[note.path] for note in ctx.notes}
            for finding in make(ctx, ordered):
                found.setdefault(finding.path, []).append((code, finding))
        return found


def _is_share(answer: object) -> TypeGuard[ShareResult]:
    return (
        isinstance(answer, tuple)
        and len(answer) == 3
        and all(isinstance(part, dict) for part in answer)
    )


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
    def start(cls, work: Callable[[], object]) -> _Copy | None:
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

    def result(self) -> object | None:
        """What the copy's work returned, or None when it failed."""
        parts: list[bytes] = []
        while part := os.read(self.answer, 1 << 20):
            parts.append(part)
        self._reap()
        if self.status != 0:
            return None
        try:
            answer: object = pickle.loads(b"".join(parts))
        except Exception:  # a damaged answer is not trusted: the share is run here
            return None
        return answer

    def _reap(self) -> None:
        if self.status is None:
            _pid, status = os.waitpid(self.pid, 0)
            self.status = os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        """Stop the copy if it still runs (this process was interrupted), and reap it."""
        with contextlib.suppress(OSError):
            os.close(self.answer)
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap()
