"""`kbtool review done`: only the review fields change; fixed and FSRS modes; the log."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.review import adaptive
from kbtool.review.done import ReviewError, commit_review, prepare_review
from kbtool.review.log import ReviewLog
from kbtool.vault.load import load_vault

FIXTURES = Path(__file__).parent / "fixtures"
DAY = dt.date(2026, 11, 26)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A writable copy of the review fixture vault."""
    return Path(shutil.copytree(FIXTURES / "review", tmp_path / "vault"))


@pytest.fixture
def fsrs_vault(vault: Path) -> Path:
    (vault / "kbtool.toml").write_text('[review]\nmode = "fsrs"\nintervals = { Fact = "60d" }\n')
    return vault


def _done(vault: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["review", "done", *args, "--vault", str(vault), "--today", DAY.isoformat()]
    )
    return result.exit_code, result.stdout, result.stderr


def _log(vault: Path) -> dict:
    return json.loads((vault / ".kbtool" / "reviews.json").read_text())


def _interval(path: Path) -> int:
    m = re.search(r"^review_interval: (\d+)d$", path.read_text(), re.MULTILINE)
    assert m, path.read_text()
    return int(m.group(1))


def test_fixed_mode_sets_only_last_reviewed(vault: Path) -> None:
    before = (vault / "Reviewed.md").read_bytes()
    code, out, err = _done(vault, "Reviewed.md", "--rating", "hard")
    assert (code, err) == (0, "")
    assert out == "Reviewed.md: reviewed 2026-11-26; next review 2026-12-26 (30d)\n"
    after = (vault / "Reviewed.md").read_bytes()
    assert after == before.replace(b"last_reviewed: 2026-10-01", b"last_reviewed: 2026-11-26")
    entry = _log(vault)["reviews"]
    assert entry == [
        {
            "path": "Reviewed.md",
            "date": "2026-11-26",
            "rating": "hard",
            "mode": "fixed",
            "interval": "30d",
        }
    ]
    assert _log(vault)["cards"] == {}  # no FSRS state in fixed mode


def test_empty_and_missing_keys_are_filled_in(vault: Path) -> None:
    code, _, _ = _done(vault, "Never reviewed", "Default")
    assert code == 0
    assert (
        "\nlast_reviewed: 2026-11-26\nreview_interval:\n"
        in (vault / "Never reviewed.md").read_text()
    )
    assert (vault / "Default.md").read_text() == (
        "---\ntitle: Default\ncreated: 2026-09-01\ntags: []\nlast_reviewed: 2026-11-26\n---\n"
        "No type, no interval: the built-in default of 90 days.\n"
    )
    result = CliRunner().invoke(main, ["review", "due", str(vault), "--today", "2026-11-26"])
    assert result.exit_code == 0 and "Reviewed.md" in result.stdout
    assert "Never reviewed.md" not in result.stdout


def test_note_arguments_by_name_vault_path_and_cwd_path(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(vault / "Sub")
    code, out, err = _done(vault, "same day", "Months.md", "../Titled.md")
    assert (code, err) == (0, "")
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "Sub/Same day.md",
        "Months.md",
        "Titled.md",
    ]


def test_failures_are_per_note_and_exit_1(vault: Path) -> None:
    (vault / "Broken.md").write_bytes(b"---\ntitle: [unclosed\n---\n")
    (vault / "Block.md").write_bytes(b"---\nlast_reviewed: |\n  2025-01-01\n---\n")
    broken, block = (vault / "Broken.md").read_bytes(), (vault / "Block.md").read_bytes()
    code, out, err = _done(vault, "Broken", "Nowhere", "Reviewed", "Block")
    assert code == 1
    assert out.startswith("Reviewed.md: reviewed 2026-11-26")
    lines = err.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("kbtool: error: Broken.md: the frontmatter is not valid YAML")
    assert lines[1] == f"kbtool: error: Nowhere: no such note in {vault}"
    assert "Block.md: 'last_reviewed' holds a list, mapping or block value" in lines[2]
    assert (vault / "Broken.md").read_bytes() == broken
    assert (vault / "Block.md").read_bytes() == block


def test_a_file_outside_the_vault_is_refused(vault: Path, tmp_path: Path) -> None:
    outside = tmp_path / "Outside.md"
    outside.write_text("---\ntitle: Outside\n---\n")
    code, out, err = _done(vault, str(outside))
    assert (code, out) == (1, "")
    assert "not inside the vault" in err
    assert outside.read_text() == "---\ntitle: Outside\n---\n"
    assert not (vault / ".kbtool").exists()  # nothing recorded, no log written


def test_crlf_bom_note_keeps_every_other_byte_and_its_mode(vault: Path) -> None:
    source = FIXTURES / "review_edit" / "crlf_bom_comment.md"
    target = vault / "Crlf.md"
    shutil.copyfile(source, target)
    target.chmod(0o640)
    code, _, err = _done(vault, "Crlf")
    assert (code, err) == (0, "")
    expected = FIXTURES / "review_edit" / "crlf_bom_comment.expected.md"
    assert target.read_bytes() == expected.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not [p.name for p in vault.iterdir() if p.name.endswith(".tmp")]


def test_a_note_changed_after_it_was_read_is_not_written(vault: Path) -> None:
    loaded = load_vault(vault)
    log = ReviewLog.load(vault)
    pending = prepare_review(loaded, "Reviewed.md", DAY, None, log)
    edited = (vault / "Reviewed.md").read_bytes() + b"\nAn edit made meanwhile.\n"
    (vault / "Reviewed.md").write_bytes(edited)
    with pytest.raises(ReviewError, match="changed on disk"):
        commit_review(pending, log)
    assert (vault / "Reviewed.md").read_bytes() == edited
    assert log.reviews == []


def test_a_note_named_twice_is_reviewed_once(fsrs_vault: Path) -> None:
    """Every note is prepared before any is written, so the same note is done once, not
    twice (a second fsrs review on the same day would shorten the interval again)."""
    code, out, err = _done(fsrs_vault, "Reviewed.md", "Reviewed", "--rating", "again")
    assert (code, err) == (0, "")
    assert out.count("\n") == 1 and out.startswith("Reviewed.md: reviewed 2026-11-26")
    assert [r["path"] for r in _log(fsrs_vault)["reviews"]] == ["Reviewed.md"]


def test_a_corrupt_log_stops_before_any_note_changes(vault: Path) -> None:
    (vault / ".kbtool").mkdir()
    (vault / ".kbtool" / "reviews.json").write_text("{not json")
    before = (vault / "Reviewed.md").read_bytes()
    code, _, err = _done(vault, "Reviewed")
    assert code == 2 and "reviews.json" in err
    assert (vault / "Reviewed.md").read_bytes() == before


# -- FSRS mode ----------------------------------------------------------------


def test_fsrs_rating_sets_the_interval_and_keeps_the_card_in_the_log(fsrs_vault: Path) -> None:
    code, _, err = _done(fsrs_vault, "Reviewed.md", "--rating", "good")
    assert (code, err) == (0, "")
    text = (fsrs_vault / "Reviewed.md").read_text()
    assert "last_reviewed: 2026-11-26\n" in text
    assert "stability" not in text  # the card state is never in the note
    days = _interval(fsrs_vault / "Reviewed.md")
    assert days > 30  # recalled 26 days late at "good": the interval grows
    card = _log(fsrs_vault)["cards"]["Reviewed.md"]
    assert card["card_id"] == adaptive.card_id("Reviewed.md")
    assert card["stability"] > 30 and 1 <= card["difficulty"] <= 10
    assert _log(fsrs_vault)["reviews"][0]["interval"] == f"{days}d"


def test_fsrs_ratings_order_the_intervals(tmp_path: Path) -> None:
    days = {}
    for rating in adaptive.RATINGS:
        copy = Path(shutil.copytree(FIXTURES / "review", tmp_path / rating))
        (copy / "kbtool.toml").write_text('[review]\nmode = "fsrs"\n')
        assert _done(copy, "Reviewed", "--rating", rating)[0] == 0
        days[rating] = _interval(copy / "Reviewed.md")
    assert days["again"] < days["hard"] < days["good"] < days["easy"]


def test_fsrs_is_deterministic_and_adds_a_missing_interval(tmp_path: Path) -> None:
    results = []
    for name in ("one", "two"):
        copy = Path(shutil.copytree(FIXTURES / "review", tmp_path / name))
        (copy / "kbtool.toml").write_text('[review]\nmode = "fsrs"\n')
        assert _done(copy, "Default")[0] == 0  # no --rating: good
        results.append((copy / "Default.md").read_bytes())
    assert results[0] == results[1]
    assert re.search(rb"\nlast_reviewed: 2026-11-26\nreview_interval: \d+d\n---\n", results[0])


def test_fsrs_second_review_continues_from_the_stored_card(fsrs_vault: Path) -> None:
    assert _done(fsrs_vault, "Months", "--rating", "good")[0] == 0
    first = _interval(fsrs_vault / "Months.md")
    card = _log(fsrs_vault)["cards"]["Months.md"]
    later = DAY + dt.timedelta(days=first)
    result = CliRunner().invoke(
        main,
        [
            "review",
            "done",
            "Months",
            "--vault",
            str(fsrs_vault),
            "--today",
            later.isoformat(),
            "--rating",
            "good",
        ],
    )
    assert result.exit_code == 0
    second = _interval(fsrs_vault / "Months.md")
    assert second > first
    updated = _log(fsrs_vault)["cards"]["Months.md"]
    assert updated["stability"] > card["stability"]
    assert [r["date"] for r in _log(fsrs_vault)["reviews"]] == [
        DAY.isoformat(),
        later.isoformat(),
    ]


def test_fsrs_again_shortens_a_long_interval(fsrs_vault: Path) -> None:
    assert _done(fsrs_vault, "Future", "--rating", "again")[0] == 0
    assert _interval(fsrs_vault / "Future.md") < 365


def test_fsrs_note_without_history_starts_as_a_new_card(fsrs_vault: Path) -> None:
    assert _done(fsrs_vault, "Unscheduled", "--rating", "easy")[0] == 0
    easy = _interval(fsrs_vault / "Unscheduled.md")
    assert 1 <= easy <= 30  # FSRS's first-review stability, not an inherited interval
    card = _log(fsrs_vault)["cards"]["Unscheduled.md"]
    assert card["state"] == 2 and card["step"] is None  # Review state: no learning steps
