"""Record a review: set `last_reviewed` (and in FSRS mode `review_interval`) in a note.

The work is split in two so that nothing is written until everything is
known: `prepare_review` reads the note and computes its new bytes, its next
due date and its log entry (anything that can fail fails there);
`commit_review` writes them atomically, refusing if the file changed since
it was read. Only the bytes of the review fields change (see `edit.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbtool.errors import KbtoolError
from kbtool.notes.intervals import Interval
from kbtool.notes.parse import parse_note
from kbtool.review import adaptive
from kbtool.review.log import ReviewLog, ReviewLogError
from kbtool.review.schedule import ReviewPolicy
from kbtool.vault.locate import NoteNotFound, locate_note
from kbtool.write.atomic import ConcurrentChangeError, WriteRefused, read_for_update, write_atomic
from kbtool.write.frontmatter import FrontmatterEditError, set_frontmatter_value

if TYPE_CHECKING:
    from kbtool.model import Note
    from kbtool.vault.load import Vault


class ReviewError(KbtoolError):
    """This note's review cannot be recorded; the message says why. Others go on."""


@dataclass(frozen=True)
class PendingReview:
    """A computed but not yet written review of one note."""

    path: str  # vault-relative
    file: Path
    original: bytes
    updated: bytes
    day: dt.date
    rating: str | None
    mode: str
    interval: Interval
    next_due: dt.date
    card: dict[str, Any] | None  # FSRS card state to store (fsrs mode only)
    warnings: tuple[str, ...] = ()  # for the user, on stderr: nothing stopped the review
    root: Path | None = None  # the vault: a linked note is written only inside it


def find_note(vault: Vault, arg: str, cwd: Path | None = None) -> str:
    """The vault path of a NOTE argument (see `kbtool.vault.locate`). Ambiguous names are
    refused, not guessed: a review must be recorded on the note meant."""
    try:
        path, others = locate_note(vault, arg, cwd)
    except NoteNotFound as exc:
        raise ReviewError(str(exc)) from None
    if others:
        listed = ", ".join((path, *others))
        raise ReviewError(f"{arg}: several notes match ({listed}); give the path")
    return path


def prepare_review(
    vault: Vault,
    path: str,
    day: dt.date,
    rating: str | None,
    log: ReviewLog,
    policy: ReviewPolicy | None = None,
) -> PendingReview:
    """Read the note at vault path `path` and compute its reviewed bytes."""
    policy = policy or ReviewPolicy.from_config(vault.config)
    mode = vault.config.settings.review.mode
    file = vault.root / path
    try:
        original = read_for_update(file, vault.root)
    except OSError as exc:
        raise ReviewError(f"{path}: cannot read ({exc.strerror})") from exc
    note = parse_note(path, original)
    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReviewError(f"{path}: not UTF-8; not changed") from exc
    interval = policy.interval_for(note)
    card: dict[str, Any] | None = None
    warnings: tuple[str, ...] = ()
    try:
        text = set_frontmatter_value(text, "last_reviewed", day.isoformat())
        if mode == "fsrs":
            interval, card, warnings = _adaptive_interval(note, day, rating, log, policy)
            text = set_frontmatter_value(text, "review_interval", str(interval))
    except FrontmatterEditError as exc:
        raise ReviewError(f"{path}: {exc}; not changed") from exc
    updated = text.encode("utf-8")
    next_due = interval.after(day)
    return PendingReview(
        path,
        file,
        original,
        updated,
        day,
        rating,
        mode,
        interval,
        next_due,
        card,
        warnings,
        vault.root,
    )


def _adaptive_interval(
    note: Note, day: dt.date, rating: str | None, log: ReviewLog, policy: ReviewPolicy
) -> tuple[Interval, dict[str, Any], tuple[str, ...]]:
    """The FSRS interval and card after this review, and warnings about the stored card.

    A damaged card is treated as absent: the note starts afresh from its
    frontmatter schedule, as a note never reviewed in fsrs mode does, and
    its card in the log is replaced; the warning says so. Refusing instead
    would leave the note unreviewable until someone repairs JSON by hand.
    """
    path = note.path
    state = log.cards.get(path)
    warnings: tuple[str, ...] = ()
    if state is not None and (problem := adaptive.card_problem(state)) is not None:
        warnings = (
            f"{log.path}: the card of {path} is damaged ({problem}); starting it afresh "
            "from the note's dates and replacing it",
        )
        state = None
    before = policy.schedule(note, day)
    try:
        days, card = adaptive.review(
            path,
            state,
            rating or "good",  # type: ignore[arg-type]
            day,
            base=before.base if before else None,
            interval_days=before.interval_days if before else None,
        )
    except OverflowError:  # fsrs adds the interval to the date itself
        raise ReviewError(
            f"{path}: no date after {day.isoformat()} in the calendar for the next "
            "review; not changed"
        ) from None
    return Interval(days, "d"), card, warnings


def commit_review(pending: PendingReview, log: ReviewLog) -> None:
    """Write the note atomically (refused if it changed since it was read), then note the
    review in `log` (the caller saves the log once, after all notes)."""
    try:
        write_atomic(pending.file, pending.updated, expect=pending.original, within=pending.root)
    except ConcurrentChangeError as exc:
        raise ReviewError(f"{pending.path}: changed on disk since read; not written") from exc
    except WriteRefused as exc:
        raise ReviewError(f"{pending.path}: {exc.strerror}; not changed") from exc
    except OSError as exc:
        raise ReviewError(f"{pending.path}: cannot write ({exc.strerror}); not changed") from exc
    if pending.card is not None:
        log.cards[pending.path] = pending.card
    log.record(
        pending.path, pending.day.isoformat(), pending.rating, pending.mode, str(pending.interval)
    )


@dataclass
class ReviewRun:
    """What `record_reviews` did: the reviews recorded, one message per note that failed,
    and warnings that stopped nothing (a damaged card started afresh)."""

    done: list[PendingReview]
    errors: list[str]
    warnings: list[str]


def record_reviews(
    vault: Vault, args: Sequence[str], day: dt.date, rating: str | None, policy: ReviewPolicy
) -> ReviewRun:
    """Record a review of each NOTE argument; a note that fails is reported, others go on.

    Every review is computed before any note is written (anything that can fail,
    a date past the calendar's end among them, fails before a write). The review
    log stays locked from reading to saving, so that runs at the same time lose
    no review. Each note is written atomically, then the log once; if the log
    cannot be saved (or anything fails after a note was written), every note
    written is put back as it was, and `ReviewLogError` says so: a note never
    claims a review that the log does not hold.
    """
    run = ReviewRun([], [], [])
    with ReviewLog.locked(vault.root) as log:
        pendings: dict[str, PendingReview] = {}  # a note named twice is reviewed once
        for arg in args:
            try:
                path = find_note(vault, arg)
                if path not in pendings:
                    pendings[path] = prepare_review(vault, path, day, rating, log, policy)
                    run.warnings.extend(pendings[path].warnings)
            except ReviewError as exc:
                run.errors.append(str(exc))
        try:
            for pending in pendings.values():
                try:
                    commit_review(pending, log)
                except ReviewError as exc:
                    run.errors.append(str(exc))
                    continue
                run.done.append(pending)
            if run.done:
                log.save()
        except BaseException as exc:
            left = _put_back(run.done)
            if not isinstance(exc, ReviewLogError):
                raise
            outcome = f"{', '.join(left)} could not be put back" if left else "no note was changed"
            raise ReviewLogError(f"{exc}; {outcome}") from exc
    return run


def _put_back(written: list[PendingReview]) -> list[str]:
    """Restore the notes of reviews the log could not take; the paths that could not be."""
    failed = []
    for pending in reversed(written):
        try:
            restored, changed = pending.original, pending.updated
            write_atomic(pending.file, restored, expect=changed, within=pending.root)
        except (ConcurrentChangeError, OSError):
            failed.append(pending.path)
    return failed
