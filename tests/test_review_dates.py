"""Dates near the ends of the calendar: every review command and KB401 stay inside 0001..9999."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner, Result

from kbtool.cli import main
from kbtool.notes.dates import as_instant, instant_from_ns, shift
from kbtool.notes.intervals import Interval

LAST = dt.date.max  # 9999-12-31


def _note(root: Path, name: str, *lines: str) -> None:
    (root / name).write_text("---\n" + "".join(f"{line}\n" for line in lines) + "---\nBody.\n")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """Notes whose due dates fall past 9999-12-31 three ways."""
    root = tmp_path / "vault"
    root.mkdir()
    _note(root, "Late.md", "title: Late", "created: 9999-12-31", "tags: []")
    _note(root, "Huge.md", "title: Huge", "created: 2026-01-01", "review_interval: 3000000")
    _note(root, "Plain.md", "title: Plain", "created: 2026-01-01", "review_interval: 30d")
    return root


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_shift_holds_at_the_ends_of_the_calendar() -> None:
    assert shift(dt.date(2026, 1, 31), months=1) == dt.date(2026, 2, 28)
    assert shift(dt.date(2026, 1, 1), days=45) == dt.date(2026, 2, 15)
    assert shift(dt.date(9999, 12, 1), days=31) == LAST
    assert shift(dt.date(2026, 1, 1), days=10**30) == LAST  # beyond timedelta's range too
    assert shift(dt.date(2026, 1, 1), months=9000 * 12) == LAST
    assert shift(dt.date(1, 1, 5), days=-10) == dt.date.min
    assert shift(dt.date(1, 3, 1), months=-5) == dt.date.min
    assert Interval(9000, "y").after(dt.date(2026, 1, 1)) == LAST
    assert Interval(500000, "w").after(dt.date(2026, 1, 1)) == LAST


def test_instants_past_the_calendar_are_held_at_its_ends() -> None:
    assert as_instant("9999-12-31T23:00:00-05:00") == dt.datetime.max.replace(tzinfo=dt.UTC)
    assert as_instant("0001-01-01T00:00:00+05:00") == dt.datetime.min.replace(tzinfo=dt.UTC)
    assert instant_from_ns(10**30) == dt.datetime.max.replace(tzinfo=dt.UTC)
    assert instant_from_ns(86_400 * 10**9) == dt.datetime(1970, 1, 2, tzinfo=dt.UTC)


def test_due_agenda_show_and_kb401_hold_due_dates_at_9999_12_31(vault: Path) -> None:
    result = _run("review", "due", str(vault), "--format", "json", "--today", "9999-12-31")
    assert result.exit_code == 0, result.output
    items = {item["path"]: item for item in json.loads(result.stdout)["items"]}
    assert items["Late.md"]["due"] == "9999-12-31"
    assert items["Huge.md"]["due"] == "9999-12-31"
    assert items["Huge.md"]["overdue_days"] == 0
    assert items["Plain.md"]["overdue_days"] == 2_912_412
    result = _run("review", "due", str(vault), "--within", "36500")
    assert result.exit_code == 0, result.output
    assert "Huge.md" not in result.stdout and "Plain.md" in result.stdout
    result = _run("show", "Late", "--vault", str(vault), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["due"] == "9999-12-31"
    result = _run("check", str(vault), "--select", "KB401", "--today", "9999-12-31")
    assert "Plain.md:3:1: KB401 warning: review overdue by 2912412 days" in result.stdout
    assert "Late.md" not in result.stdout


def test_the_agenda_stops_at_the_calendars_last_week(vault: Path) -> None:
    result = _run(
        "review", "agenda", str(vault), "--weeks", "5", "--today", "9999-12-20", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    weeks = json.loads(result.stdout)
    assert [(w["week"], w["start"], w["end"], w["count"]) for w in weeks] == [
        ("overdue", None, None, 1),
        ("9999-W51", "9999-12-20", "9999-12-26", 0),
        ("9999-W52", "9999-12-27", "9999-12-31", 2),
    ]


def test_a_default_interval_of_9000_years(vault: Path) -> None:
    (vault / "kbtool.toml").write_text('[review]\ndefault_interval = "9000y"\n')
    _note(vault, "Default.md", "title: Default", "created: 2026-01-01")
    result = _run("review", "due", str(vault), "--within", "36500", "--format", "json")
    assert result.exit_code == 0, result.output
    due = {item["path"]: item["due"] for item in json.loads(result.stdout)["items"]}
    assert due == {"Plain.md": "2026-01-31"}
    result = _run("review", "due", str(vault), "--today", "9999-12-31", "--format", "json")
    due = {item["path"]: item["due"] for item in json.loads(result.stdout)["items"]}
    assert due["Default.md"] == "9999-12-31"


def test_the_calendar_ends_an_entry_on_9999_12_31_with_a_duration(vault: Path) -> None:
    result = _run("review", "ics", str(vault), "-o", "-", "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    by_summary = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    late = by_summary["Review: Late"]
    assert late.decoded("DTSTART") == LAST
    assert late.decoded("DURATION") == dt.timedelta(days=1)
    assert "DTEND" not in late
    plain = by_summary["Review: Plain"]
    assert plain.decoded("DTEND") == dt.date(2026, 2, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "due", "--within", "3000000"], "'--within': 3000000 is not in the range"),
        (["review", "agenda", "--weeks", "500000"], "'--weeks': 500000 is not in the range"),
    ],
)
def test_out_of_range_options_are_usage_errors(vault: Path, args: list[str], message: str) -> None:
    result = _run(*args, str(vault))
    assert result.exit_code == 2
    assert message in result.stderr


def test_review_done_on_the_last_day_records_the_note_and_the_log(vault: Path) -> None:
    result = _run("review", "done", "Plain", "--vault", str(vault), "--today", "9999-12-31")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "Plain.md: reviewed 9999-12-31; next review 9999-12-31 (30d)\n"
    assert "last_reviewed: 9999-12-31\n" in (vault / "Plain.md").read_text()
    log = json.loads((vault / ".kbtool" / "reviews.json").read_text())
    assert log["reviews"] == [
        {
            "path": "Plain.md",
            "date": "9999-12-31",
            "rating": None,
            "mode": "fixed",
            "interval": "30d",
        }
    ]


def test_fsrs_review_done_on_the_last_day_changes_nothing(vault: Path) -> None:
    (vault / "kbtool.toml").write_text('[review]\nmode = "fsrs"\n')
    before = (vault / "Plain.md").read_bytes()
    result = _run("review", "done", "Plain", "--vault", str(vault), "--today", "9999-12-31")
    assert result.exit_code == 1
    assert result.stderr == (
        "kbtool: error: Plain.md: no date after 9999-12-31 in the calendar for the next review;"
        " not changed\n"
    )
    assert (vault / "Plain.md").read_bytes() == before
    assert not (vault / ".kbtool").exists()


def test_fsrs_review_done_of_a_note_with_a_huge_interval(vault: Path) -> None:
    (vault / "kbtool.toml").write_text('[review]\nmode = "fsrs"\n')
    result = _run("review", "done", "Huge", "--vault", str(vault), "--today", "2026-11-26")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Huge.md: reviewed 2026-11-26; next review ")


def test_fsrs_review_done_of_a_note_created_on_the_last_day(vault: Path) -> None:
    """Its schedule is held at 9999-12-31 (0 days): it starts as a new fsrs card."""
    (vault / "kbtool.toml").write_text('[review]\nmode = "fsrs"\n')
    result = _run("review", "done", "Late", "--vault", str(vault), "--today", "2026-11-26")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "Late.md: reviewed 2026-11-26; next review 2026-11-28 (2d)\n"
