"""A damaged review log: a bad card is treated as absent (with a warning), a log that cannot be
read is never written over, and every card fsrs accepts from the log is checked first."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.cli import main
from kbtool.review import adaptive

FIXTURES = Path(__file__).parent / "fixtures"
GOOD_CARD = {
    "card_id": 140907279391612,
    "state": 2,
    "step": None,
    "stability": 30.0,
    "difficulty": 5.0,
    "due": "2026-10-31T00:00:00+00:00",
    "last_review": "2026-10-01T00:00:00+00:00",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = Path(shutil.copytree(FIXTURES / "review", tmp_path / "vault"))
    (root / "kbtool.toml").write_text('[review]\nmode = "fsrs"\nintervals = { Fact = "60d" }\n')
    return root


def _write_log(vault: Path, cards: dict[str, Any]) -> Path:
    path = vault / ".kbtool" / "reviews.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"version": 1, "cards": cards, "reviews": []}))
    return path


def _done(vault: Path, *notes: str) -> Result:
    return CliRunner().invoke(
        main, ["review", "done", *notes, "--vault", str(vault), "--today", "2026-11-26"]
    )


def _strict(text: str) -> Any:
    def refuse(token: str) -> None:
        raise ValueError(token)

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    ("card", "problem"),
    [
        (5, "not an object but int"),
        ({k: v for k, v in GOOD_CARD.items() if k != "state"}, "no state"),
        ({**GOOD_CARD, "state": 9}, "state 9 is not 1, 2 or 3"),
        ({**GOOD_CARD, "stability": float("nan")}, "stability nan is not a positive number"),
        ({**GOOD_CARD, "stability": -5}, "stability -5 is not a positive number"),
        ({**GOOD_CARD, "stability": 0}, "stability 0 is not a positive number"),
        ({**GOOD_CARD, "difficulty": 1e9}, "difficulty 1000000000.0 is not a number from 1 to 10"),
        ({**GOOD_CARD, "due": "soon"}, "due 'soon' is not a date-time with an offset"),
        ({**GOOD_CARD, "last_review": "2026-10-01T00:00:00"}, "last_review '2026-10-01T00:00:00'"),
    ],
)
def test_a_damaged_card_starts_afresh_with_a_warning(
    vault: Path, tmp_path: Path, card: Any, problem: str
) -> None:
    fresh = Path(shutil.copytree(vault, tmp_path / "fresh"))  # the same note, no card at all
    assert _done(fresh, "Reviewed.md").exit_code == 0
    other = {**GOOD_CARD, "stability": float("inf")}  # another damaged card: kept, not repaired
    log = _write_log(vault, {"Reviewed.md": card, "Future.md": other})
    result = _done(vault, "Reviewed.md")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"kbtool: warning: {log}: the card of Reviewed.md is damaged ({problem}"
    )
    assert result.stderr.endswith("; starting it afresh from the note's dates and replacing it\n")
    assert result.stderr.count("\n") == 1
    assert (vault / "Reviewed.md").read_bytes() == (fresh / "Reviewed.md").read_bytes()
    saved = _strict(log.read_text())  # strict JSON, though a kept card holds Infinity
    assert adaptive.card_problem(saved["cards"]["Reviewed.md"]) is None
    assert saved["cards"]["Reviewed.md"]["last_review"] == "2026-11-26T00:00:00+00:00"
    assert saved["cards"]["Future.md"] == {**GOOD_CARD, "stability": "Infinity"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"cards": {}, "reviews": [', "not a kbtool review log (Expecting value"),
        ('["cards"]', "not a kbtool review log (list indices"),
        ('{"version": 1, "cards": [], "reviews": []}', "not a kbtool review log ('cards' must"),
        (
            '{"version": 2, "cards": {}, "reviews": []}',
            "review log version 2, this kbtool writes 1",
        ),
    ],
)
def test_a_log_that_cannot_be_read_is_never_written_over(
    vault: Path, content: str, reason: str
) -> None:
    log = vault / ".kbtool" / "reviews.json"
    log.parent.mkdir()
    log.write_text(content)
    before = (vault / "Reviewed.md").read_bytes()
    result = _done(vault, "Reviewed.md")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kbtool: error: {log}: {reason}")
    assert result.stderr.endswith("; not changed\n") or "move it away" in result.stderr
    assert result.stderr.count("\n") == 1
    assert log.read_text() == content
    assert (vault / "Reviewed.md").read_bytes() == before


_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
)
_TIMES = st.one_of(
    _ANY,
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())).map(lambda d: d.isoformat()),
)
_CARDS = st.fixed_dictionaries(
    {k: _TIMES if k in ("due", "last_review") else _ANY for k in adaptive.CARD_FIELDS}
)


@settings(max_examples=300, deadline=None)
@given(_CARDS, st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2200, 1, 1)))
def test_every_card_that_passes_the_check_can_be_reviewed(card: Any, day: dt.date) -> None:
    if adaptive.card_problem(card) is None:
        days, state = adaptive.review("n.md", card, "good", day)
        assert days >= 1 and adaptive.card_problem(state) is None


_LATE = dt.date.max - dt.timedelta(days=36_500)  # fsrs's longest interval: no date after it


@settings(max_examples=300, deadline=None)
@given(st.dates(), st.one_of(st.none(), st.integers(-2, 4_000_000)), st.dates())
def test_every_starting_schedule_can_be_reviewed(
    base: dt.date, interval_days: int | None, day: dt.date
) -> None:
    """A note new to fsrs mode starts from its dates, whatever they are (9999-12-31 too)."""
    try:
        days, state = adaptive.review(
            "n.md", None, "good", day, base=base, interval_days=interval_days
        )
    except OverflowError:  # review done reports it: no date left in the calendar
        assert day > _LATE
        return
    assert days >= 1 and adaptive.card_problem(state) is None
