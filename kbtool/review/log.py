"""The review log, `<vault>/.kbtool/reviews.json`: every recorded review and FSRS card state.

The adaptive scheduler needs state (stability, difficulty) that has no place
in a note's frontmatter, so it lives here, keyed by note path. The file is
plain JSON so it can be read, diffed and committed with the vault; it is
written atomically and refused if another run changed it in the meantime.

A log that cannot be read as one (not JSON, not the expected shape, a
version this kbtool does not know) is never written over: it holds the
memory of every note, and `review done` stops before changing anything.
A single damaged card is the scheduler's business (`adaptive.card_problem`):
the other cards are kept as they are.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbtool.base.jsonout import json_text
from kbtool.errors import KbtoolError
from kbtool.write.atomic import ConcurrentChangeError, read_for_update, write_atomic

LOG_PATH = Path(".kbtool") / "reviews.json"
#: The largest log read (about 500,000 reviews).
MAX_LOG_BYTES = 64 * 1024 * 1024
VERSION = 1


class ReviewLogError(KbtoolError):
    """The log cannot be read or written; the message names the file."""


@dataclass
class ReviewLog:
    path: Path
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    _original: bytes | None = None

    @classmethod
    @contextmanager
    def locked(cls, vault_root: Path) -> Iterator[ReviewLog]:
        """The vault's log, read and (by the caller) saved while no other run can do so.

        Two runs of `review done` that each read the log, add a card and save would
        otherwise lose one card; the second now waits until the first has saved. The
        lock (flock) is on the vault folder itself, so that locking creates no file.
        """
        try:
            fd = os.open(vault_root, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_DIRECTORY", 0))
        except OSError as exc:
            why = f"cannot lock the review log ({exc.strerror})"
            raise ReviewLogError(f"{vault_root}: {why}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield cls.load(vault_root)
        finally:
            os.close(fd)  # releases the lock

    @classmethod
    def load(cls, vault_root: Path) -> ReviewLog:
        """Read the vault's log; an empty one when there is none yet."""
        path = vault_root / LOG_PATH
        try:
            data = read_for_update(path, vault_root, MAX_LOG_BYTES)
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise ReviewLogError(f"{path}: cannot read ({exc.strerror})") from exc
        try:
            doc = json.loads(data)
            cards, reviews = doc["cards"], doc["reviews"]
            if not isinstance(cards, dict) or not isinstance(reviews, list):
                raise TypeError("'cards' must be an object and 'reviews' a list")
            version = doc.get("version", VERSION)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise ReviewLogError(
                f"{path}: not a kbtool review log ({exc}); not changed: repair it, or move it "
                "away to start a new one"
            ) from None
        if version != VERSION:
            raise ReviewLogError(
                f"{path}: review log version {version!r}, this kbtool writes {VERSION}; not changed"
            )
        return cls(path, cards, reviews, data)

    def record(self, path: str, date: str, rating: str | None, mode: str, interval: str) -> None:
        self.reviews.append(
            {"path": path, "date": date, "rating": rating, "mode": mode, "interval": interval}
        )

    def save(self) -> None:
        """Write the log atomically; refuse if it changed on disk since `load`."""
        doc = {
            "version": VERSION,
            "cards": dict(sorted(self.cards.items())),
            "reviews": self.reviews,
        }
        data = json_text(doc, indent=1).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._original is None and self.path.exists():
                raise ConcurrentChangeError(f"{self.path}: created by another run; not written")
            vault_root = self.path.parent.parent  # a link is followed only inside the vault
            write_atomic(self.path, data, expect=self._original, within=vault_root)
        except ConcurrentChangeError as exc:
            raise ReviewLogError(str(exc)) from exc
        except OSError as exc:
            raise ReviewLogError(f"{self.path}: cannot write ({exc.strerror})") from exc
        self._original = data
