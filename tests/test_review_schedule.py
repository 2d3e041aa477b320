"""The review schedule: due dates, `review due`, `review agenda` and KB401."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.config import Config, ReviewConfig, VaultConfig
from kbtool.lint.engine import check
from kbtool.review.schedule import agenda, due_date, due_reviews
from kbtool.vault.load import Vault, load_vault

VAULT = Path(__file__).parent / "fixtures" / "review"
TODAY = dt.date(2026, 11, 26)  # a Thursday of ISO week 48


@pytest.fixture(scope="module")
def vault() -> Vault:
    return load_vault(VAULT)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_due_notes_their_dates_and_order(vault: Vault) -> None:
    items = due_reviews(vault, TODAY)
    assert [(i.path, i.due.isoformat(), i.overdue_days) for i in items] == [
        ("Bad interval.md", "2026-04-01", 239),  # unreadable interval: the 90d default
        ("Never reviewed.md", "2026-09-30", 57),  # created + the Fact interval (60d)
        ("Reviewed.md", "2026-10-31", 26),  # last_reviewed + 30d
        ("Titled.md", "2026-11-15", 11),  # 2w
        ("Sub/Same day.md", "2026-11-26", 0),  # ISO P10D, due today
    ]


def test_within_adds_notes_due_soon_sorted_by_due_then_path(vault: Vault) -> None:
    items = due_reviews(vault, TODAY, within=4)
    assert [(i.path, i.overdue_days) for i in items][-2:] == [
        ("Default.md", -4),  # created 2026-09-01 + built-in 90d
        ("Months.md", -4),  # 2026-08-31 + 3 calendar months = 2026-11-30
    ]
    assert len(due_reviews(vault, TODAY, within=3)) == 5


def test_due_date_of_single_notes(vault: Vault) -> None:
    notes = vault.notes
    assert due_date(notes["Months.md"], vault.config) == dt.date(2026, 11, 30)
    assert due_date(notes["Future.md"], vault.config) == dt.date(2027, 11, 20)
    assert due_date(notes["Unscheduled.md"], vault.config) is None


def test_type_interval_and_default_come_from_the_config(vault: Vault) -> None:
    note = vault.notes["Never reviewed.md"]
    other = Config(VaultConfig(review=ReviewConfig(default_interval="10d")))
    assert due_date(note, other) == dt.date(2026, 8, 11)  # no Fact interval: the default
    typed = Config(VaultConfig(review=ReviewConfig(intervals={"fact": "1w"})))
    assert due_date(note, typed) == dt.date(2026, 8, 8)  # type names match in any case


def test_due_json_is_the_contract(vault: Vault) -> None:
    code, out, _ = _run("review", "due", str(VAULT), "--today", "2026-11-26", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["today"] == "2026-11-26"
    assert doc["items"][2] == {
        "path": "Reviewed.md",
        "title": "Reviewed",
        "last_reviewed": "2026-10-01",
        "interval_days": 30,
        "due": "2026-10-31",
        "overdue_days": 26,
    }
    never = doc["items"][1]
    assert never["last_reviewed"] is None and never["interval_days"] == 60
    assert [i["path"] for i in doc["items"]] == [i.path for i in due_reviews(vault, TODAY)]


def test_due_text_and_markdown() -> None:
    code, out, _ = _run("review", "due", str(VAULT), "--today", "2026-11-26", "--within", "4")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 7
    assert lines[2].startswith("2026-10-31  Reviewed.md") and lines[2].endswith("26 days overdue")
    assert lines[4].endswith("due today") and lines[5].endswith("due in 4 days")
    code, out, _ = _run("review", "due", str(VAULT), "--today", "2026-11-26", "--format", "md")
    assert "- [ ] [[Reviewed]]: due 2026-10-31, 26 days overdue" in out
    assert "- [ ] [[Sub/Same day]]: due 2026-11-26, due today" in out
    assert '[[Titled|A <b>bold</b> & "quoted" title]]' in out


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
def test_nothing_due_prints_nothing(fmt: str) -> None:
    code, out, err = _run("review", "due", str(VAULT), "--today", "2026-01-02", "--format", fmt)
    assert (code, out, err) == (0, "", "")


def test_agenda_groups_by_iso_week_with_overdue_first(vault: Vault) -> None:
    buckets = agenda(vault, TODAY, weeks=3)
    assert [(b.label, len(b.items)) for b in buckets] == [
        ("overdue", 4),
        ("2026-W48", 1),
        ("2026-W49", 2),
        ("2026-W50", 0),
    ]
    assert buckets[2].start == dt.date(2026, 11, 30)
    assert [i.path for i in buckets[2].items] == ["Default.md", "Months.md"]
    code, out, _ = _run("review", "agenda", str(VAULT), "--today", "2026-11-26", "--weeks", "3")
    assert code == 0
    assert out.splitlines()[0] == "Overdue: 4 notes"
    assert "2026-W48 (2026-11-23 to 2026-11-29): 1 note" in out
    assert "2026-W50 (2026-12-07 to 2026-12-13): 0 notes" in out
    assert "Future.md" not in out  # beyond the weeks shown


def test_bad_review_config_is_exit_2_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "kbtool.toml").write_text('[review]\ndefault_interval = "soon"\n')
    code, out, err = _run("review", "due", str(tmp_path), "--today", "2026-11-26")
    assert code == 2 and out == ""
    assert "review.default_interval" in err and len(err.strip().splitlines()) == 1


def test_kb401_is_off_by_default_and_reports_overdue_notes(vault: Vault) -> None:
    assert not [d for d in check(vault, today=TODAY).diagnostics if d.code == "KB401"]
    found = [d for d in check(vault, select=["KB401"], today=TODAY).diagnostics]
    assert [(d.path, d.line) for d in found] == [
        ("Bad interval.md", 3),  # no last_reviewed: points at created
        ("Never reviewed.md", 4),  # last_reviewed is empty: created counts
        ("Reviewed.md", 5),
        ("Titled.md", 4),
    ]  # not Same day.md: due today is not overdue
    assert found[2].message == (
        "review overdue by 26 days (due 2026-10-31: last reviewed 2026-10-01 + interval 30d)"
    )
