"""`kbtool review ics`: the calendar parses back, UIDs are stable, output is deterministic."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.review.ics import review_uid

VAULT = Path(__file__).parent / "fixtures" / "review"
SCHEDULED = 8  # every note of the fixture vault but Unscheduled.md
NAME = "review"  # the fixture vault's folder: its name, since its kbtool.toml sets none


def _ics(
    tmp_path: Path, *args: str, today: str = "2026-11-26", vault: Path = VAULT
) -> tuple[bytes, icalendar.Calendar]:
    out = tmp_path / "reviews.ics"
    result = CliRunner().invoke(
        main, ["review", "ics", str(vault), "-o", str(out), "--today", today, *args]
    )
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    return data, icalendar.Calendar.from_ical(data)


def _by_uid(cal: icalendar.Calendar, kind: str) -> dict[str, icalendar.cal.Component]:
    return {str(c["UID"]): c for c in cal.walk(kind)}


def test_one_all_day_event_per_scheduled_note(tmp_path: Path) -> None:
    _, cal = _ics(tmp_path)
    assert str(cal["PRODID"]) == "-//kbtool//kbtool 0.1.0//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"]) == "Reviews: review"
    events = _by_uid(cal, "VEVENT")
    assert len(events) == SCHEDULED
    event = events[review_uid(NAME, "Reviewed.md")]
    assert event.decoded("DTSTART") == dt.date(2026, 10, 31)  # a date: all-day
    assert event.decoded("DTEND") == dt.date(2026, 11, 1)
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
    assert str(event["SUMMARY"]) == "Review: Reviewed"
    description = str(event["DESCRIPTION"])
    assert "Path: Reviewed.md" in description
    assert "last reviewed 2026-10-01 + interval 30d" in description
    assert "Overdue by 26 days." in description
    never = events[review_uid(NAME, "Never reviewed.md")]
    assert "created 2026-08-01 + interval 60d" in str(never["DESCRIPTION"])
    future = events[review_uid(NAME, "Future.md")]
    assert "Overdue" not in str(future["DESCRIPTION"])
    starts = [c.decoded("DTSTART") for c in cal.walk("VEVENT")]
    assert starts == sorted(starts)


def test_uids_are_stable_and_output_is_deterministic(tmp_path: Path) -> None:
    first, cal = _ics(tmp_path)
    second, _ = _ics(tmp_path)
    assert first == second
    later, later_cal = _ics(tmp_path, today="2026-12-24")
    assert set(_by_uid(cal, "VEVENT")) == set(_by_uid(later_cal, "VEVENT"))
    assert later != first  # DTSTAMP and "overdue by" follow --today
    # uuid5(uuid5(NAMESPACE_URL, "https://kbtool.invalid/review"), '["review", "Reviewed.md"]'):
    # a change here moves every entry of every subscribed calendar
    assert "7c0b6302-20a3-5142-b976-bea3250aa23b@kbtool" in _by_uid(cal, "VEVENT")
    uids = [review_uid(NAME, p) for p in ("a.md", "A.md", "dir/a.md")]
    uids += [
        review_uid("other", "a.md"),
        review_uid("review/a", "md"),
        review_uid("revie", "wa.md"),
    ]
    assert len(set(uids)) == 6 and all(u.endswith("@kbtool") for u in uids)


def test_the_same_note_in_two_vaults_has_two_uids(tmp_path: Path) -> None:
    """Two vaults subscribed side by side: the vault's name is part of every UID."""
    one = Path(shutil.copytree(VAULT, tmp_path / "one"))
    two = Path(shutil.copytree(VAULT, tmp_path / "two"))
    _, first = _ics(tmp_path, vault=one)
    _, second = _ics(tmp_path, vault=two)
    assert len(_by_uid(first, "VEVENT")) == len(_by_uid(second, "VEVENT")) == SCHEDULED
    assert not set(_by_uid(first, "VEVENT")) & set(_by_uid(second, "VEVENT"))
    assert str(second["X-WR-CALNAME"]) == "Reviews: two"


def test_a_configured_name_keeps_uids_when_the_folder_is_renamed(tmp_path: Path) -> None:
    renamed = Path(shutil.copytree(VAULT, tmp_path / "clone-elsewhere"))
    toml = renamed / "kbtool.toml"
    toml.write_text('name = "review"\n' + toml.read_text())
    _, original = _ics(tmp_path)
    _, clone = _ics(tmp_path, vault=renamed)
    assert set(_by_uid(clone, "VEVENT")) == set(_by_uid(original, "VEVENT"))
    assert str(clone["X-WR-CALNAME"]) == "Reviews: review"
    url = str(next(iter(clone.walk("VEVENT")))["URL"])
    assert url.startswith("obsidian://open?vault=clone-elsewhere&file=")  # Obsidian's name


def test_nothing_scheduled_still_writes_a_valid_calendar(tmp_path: Path) -> None:
    empty = tmp_path / "Empty vault"
    empty.mkdir()
    (empty / "Unscheduled.md").write_text("---\ntitle: Unscheduled\n---\n")
    data, cal = _ics(tmp_path, vault=empty)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"]  # RFC 5545: at least one
    zone = cal.subcomponents[0]
    assert str(zone["TZID"]) == "UTC"
    assert [c.name for c in zone.subcomponents] == ["STANDARD"]
    assert str(cal["X-WR-CALNAME"]) == "Reviews: Empty vault"
    assert not cal.walk("VEVENT") and not cal.walk("VTODO")


def test_todo_component_has_due_and_no_dtstart(tmp_path: Path) -> None:
    _, cal = _ics(tmp_path, "--component", "todo")
    assert not cal.walk("VEVENT")
    todos = _by_uid(cal, "VTODO")
    assert len(todos) == SCHEDULED
    todo = todos[review_uid(NAME, "Sub/Same day.md")]
    assert todo.decoded("DUE") == dt.date(2026, 11, 26)
    assert "DTSTART" not in todo
    assert str(todo["SUMMARY"]) == "Review: Same day"


def test_stdout_and_unwritable_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["review", "ics", str(VAULT), "-o", "-", "--today", "2026-11-26"]
    )
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    missing = tmp_path / "no" / "such" / "dir" / "r.ics"
    result = CliRunner().invoke(
        main, ["review", "ics", str(VAULT), "-o", str(missing), "--today", "2026-11-26"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("kbtool: error:") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("component", ["event", "todo"])
def test_every_entry_has_the_required_properties(tmp_path: Path, component: str) -> None:
    _, cal = _ics(tmp_path, "--component", component)
    kind = "VEVENT" if component == "event" else "VTODO"
    entries = cal.walk(kind)
    assert len(entries) == SCHEDULED
    for entry in entries:
        for prop in ("UID", "DTSTAMP", "SUMMARY", "DESCRIPTION"):
            assert prop in entry, (prop, entry)
