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

from kbtool.notes.dates import shift

if TYPE_CHECKING:  # fsrs is imported on first use: most commands never need it
    from fsrs import Card, Scheduler

RatingName = Literal["again", "hard", "good", "easy"]
#: The ratings, worst first (the names of fsrs.Rating, lower-cased).
RATINGS: tuple[RatingName, ...] = ("again", "hard", "good", "easy")
START_DIFFICULTY = 5.0
#: The keys of a card as `fsrs.Card.to_dict` writes them and `from_dict` reads them.
CARD_FIELDS = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review")


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

    if base is None or interval_days is None or interval_days < 1:
        # no schedule, or one held at the calendar's end (base 9999-12-31: 0 days): a stability
        # of 0 is not a card fsrs can review, so the note starts as a new card
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


def _instant(value: object) -> dt.datetime | None:
    """An ISO date-time with a UTC offset (what fsrs writes), else None."""
    if not isinstance(value, str):
        return None
    try:
        found = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1e9


def card_problem(state: object) -> str | None:
    """Why a card from the review log cannot be used (None when it can).

    The log is a file people can edit, merge and damage; fsrs trusts its
    input and fails deep inside with any exception at all, so the fields
    it reads are checked here first: the shapes fsrs writes, finite numbers
    in their ranges, date-times with an offset.
    """
    if not isinstance(state, dict):
        return f"not an object but {type(state).__name__}"
    missing = [k for k in CARD_FIELDS if k not in state]
    if missing:
        return f"no {', '.join(missing)}"
    if state["state"] not in (1, 2, 3) or isinstance(state["state"], bool):
        return f"state {state['state']!r} is not 1, 2 or 3"
    step = state["step"]
    if step is not None and (not isinstance(step, int) or isinstance(step, bool) or step < 0):
        return f"step {step!r} is not a count"
    if not isinstance(state["card_id"], int) or isinstance(state["card_id"], bool):
        return f"card_id {state['card_id']!r} is not an integer"
    stability, difficulty = state["stability"], state["difficulty"]
    if stability is not None and not _positive(stability):
        return f"stability {stability!r} is not a positive number"
    if difficulty is not None and not (_positive(difficulty) and 1 <= difficulty <= 10):
        return f"difficulty {difficulty!r} is not a number from 1 to 10"
    if state["state"] == 2 and (stability is None or difficulty is None):
        return "a card in review needs a stability and a difficulty"
    if _instant(state["due"]) is None:
        return f"due {state['due']!r} is not a date-time with an offset"
    if state["last_review"] is not None and _instant(state["last_review"]) is None:
        return f"last_review {state['last_review']!r} is not a date-time with an offset"
    return None


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
    starts from `base` + `interval_days` when given, see the module doc); the
    caller has checked it with `card_problem`.
    """
    from fsrs import Card, Rating

    card = Card.from_dict(state) if state else starting_card(path, base, interval_days)  # type: ignore[arg-type]
    when = _utc(day)
    card, _ = _scheduler().review_card(card, Rating[rating.capitalize()], when)
    days = max(1, (card.due - when).days)
    return days, dict(card.to_dict())
