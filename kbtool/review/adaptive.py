"""Adaptive intervals (`review.mode = "fsrs"`): the FSRS v6 scheduler from the `fsrs` package.

A note is a card that is always in the Review state: notes have no minute-
scale learning steps, so the scheduler runs without learning or relearning
steps and without fuzzing (the same rating on the same day gives the same
interval, which makes runs reproducible). Reviews happen at 00:00 UTC of
the review date, since only dates are recorded.

A note that enters FSRS with a schedule already (last reviewed or created,
plus an interval) starts as a Review card whose stability is that interval:
FSRS then predicts 90% recall on the note's current due date, the
scheduler's target, and a first "good" extends the interval instead of
resetting it to a couple of days. Difficulty starts mid-scale (5 of 1-10).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any, Literal

from kbtool.dates import shift

if TYPE_CHECKING:  # fsrs is imported on first use: most commands never need it
    from fsrs import Card, Scheduler

RatingName = Literal["again", "hard", "good", "easy"]
#: The ratings, worst first (the names of fsrs.Rating, lower-cased).
RATINGS: tuple[RatingName, ...] = ("again", "hard", "good", "easy")
START_DIFFICULTY = 5.0


def card_id(path: str) -> int:
    """A stable id per note path (48 bits of its SHA-256), the same on every machine."""
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:6], "big")


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _scheduler() -> Scheduler:
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False, learning_steps=(), relearning_steps=())


def starting_card(path: str, base: dt.date | None, interval_days: int | None) -> Card:
    """The card of a note that has no state in the log yet."""
    from fsrs import Card, State

    if base is None or interval_days is None:
        return Card(card_id=card_id(path), due=_utc(dt.date(1970, 1, 1)))
    return Card(
        card_id=card_id(path),
        state=State.Review,
        step=None,
        stability=float(interval_days),
        difficulty=START_DIFFICULTY,
        due=_utc(shift(base, days=interval_days)),
        last_review=_utc(base),
    )


def review(
    path: str,
    state: dict[str, Any] | None,
    rating: RatingName,
    day: dt.date,
    *,
    base: dt.date | None = None,
    interval_days: int | None = None,
) -> tuple[int, dict[str, Any]]:
    """Feed one review to FSRS; return the next interval in days and the new card state.

    `state` is the card as stored in the log (None for a new card, which then
    starts from `base` + `interval_days` when given, see the module doc).
    """
    from fsrs import Card, Rating

    card = Card.from_dict(state) if state else starting_card(path, base, interval_days)  # type: ignore[arg-type]
    when = _utc(day)
    card, _ = _scheduler().review_card(card, Rating[rating.capitalize()], when)
    days = max(1, (card.due - when).days)
    return days, dict(card.to_dict())
