"""The incremental check's state is stored in checksummed pieces, written as the check
makes it: it reads back whole however it was cut, any damaged, missing or foreign piece
makes the next check a full one (never a wrong answer) that stores it again, and no
single stored value grows with the vault (real SQLite, real checks)."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.lint import incremental, stored_state
from kbtool.lint.engine import check
from kbtool.lint.stored_state import CheckState, StateWriter, read_state, write_state
from kbtool.lint.warm import WarmCheck, cached_check
from kbtool.model import Diagnostic
from kbtool.vault.cache import cache_path, dumps, loads
from kbtool.vault.load import load_vault, scan_vault

TODAY = dt.date(2026, 11, 26)
OLD_NS = 1_600_000_000 * 10**9


def _note(i: int, notes: int) -> str:
    aliases = f"aliases: [Alias {i}]\n" if i % 4 == 0 else ""
    return (
        f"---\ntitle: N{i}\n{aliases}---\n# Part\n"
        f"See [[N{(i + 1) % notes}#Part]], [[N{(i * 7) % notes}]] and [[Gone {i % 5}]].\n"
        f"A block. ^b{i}\n"
    )


def _vault(root: Path, notes: int) -> Path:
    root.mkdir(parents=True)
    for i in range(notes):
        (root / f"N{i}.md").write_text(_note(i, notes), "utf-8")
        os.utime(root / f"N{i}.md", ns=(OLD_NS, OLD_NS))
    (root / "Lone.md").write_text("Nothing links here.\n", "utf-8")
    os.utime(root / "Lone.md", ns=(OLD_NS, OLD_NS))
    return root


def _warm(root: Path) -> WarmCheck:
    return cached_check(scan_vault(root), today=TODAY, select=["KB"])


def _cold(root: Path) -> list[Diagnostic]:
    return list(check(load_vault(root), today=TODAY, select=["KB"]).diagnostics)


def _edit(root: Path, rel: str, clock: int) -> None:
    path = root / rel
    path.write_text(path.read_text("utf-8") + "One more line.\n", "utf-8")
    os.utime(path, ns=(clock, clock))


def _state_kind(root: Path) -> str:
    with sqlite3.connect(cache_path(root.absolute())) as db:
        (kind,) = db.execute(
            "SELECT kind FROM results WHERE kind LIKE 'check-state/%' AND kind NOT LIKE '%#%'"
        ).fetchone()
    return str(kind)


def _stored_state(root: Path) -> CheckState:
    state = read_state(cache_path(root.absolute()), _state_kind(root))
    assert state is not None
    return state


def _pieces(root: Path) -> list[str]:
    """The kinds of the stored state's pieces, in order."""
    kind = _state_kind(root)
    with sqlite3.connect(cache_path(root.absolute())) as db:
        rows = db.execute(
            "SELECT kind FROM results WHERE kind > ? AND kind < ? ORDER BY kind",
            (kind + "#", kind + "$"),
        )
        return [str(found) for (found,) in rows]


def _small_pieces(monkeypatch: pytest.MonkeyPatch, records: int, items: int) -> None:
    monkeypatch.setattr(incremental, "RECORDS_PER_PIECE", records)
    monkeypatch.setattr(stored_state, "RECORDS_PER_PIECE", records)
    monkeypatch.setattr(stored_state, "ITEMS_PER_PIECE", items)


def test_the_state_reads_back_whole_however_it_is_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _vault(tmp_path / "vault", 40)
    _warm(root)
    few = _stored_state(root)
    assert few.result.diagnostics == _cold(root)
    assert (len(few.records), len(few.result.diagnostics), len(few.suggestions)) == (41, 42, 5)
    # begin, the records, the findings of each of 5 vault-wide rules, the diagnostics,
    # the hints, end
    assert len(_pieces(root)) == 10
    os.remove(cache_path(root.absolute()))
    _small_pieces(monkeypatch, 3, 2)
    _warm(root)
    assert len(_pieces(root)) == 1 + 14 + 5 + 21 + 3 + 1  # 3 records, 2 items a piece
    many = _stored_state(root)
    assert many == few._replace(checked_ns=many.checked_ns)
    again = tmp_path / "again.sqlite"  # as an incremental check stores the state it made
    write_state(StateWriter(again, "check-state/x", 7), many)
    assert read_state(again, "check-state/x") == many
    assert read_state(again, "check-state/other") is None


def _flip_a_byte(db: sqlite3.Connection, kind: str) -> None:
    (data,) = db.execute("SELECT data FROM results WHERE kind = ?", (kind,)).fetchone()
    at = len(data) // 2
    damaged = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
    db.execute("UPDATE results SET data = ? WHERE kind = ?", (damaged, kind))


def _drop_a_piece(db: sqlite3.Connection, kind: str) -> None:
    db.execute("DELETE FROM results WHERE kind = ?", (kind,))


def _foreign_piece(db: sqlite3.Connection, kind: str) -> None:
    """A piece whose checksum is right (in its row and in the head) but that is not the
    piece of a state: a reader must not take it as one."""
    data = zlib.compress(pickle.dumps(("records", [("N1.md", "not a record")], {}, [])), 1)
    crc = zlib.crc32(data)
    db.execute("UPDATE results SET data = ?, crc = ? WHERE kind = ?", (data, crc, kind))
    head_kind = kind.split("#")[0]
    head_crc, head_data = db.execute(
        "SELECT crc, data FROM results WHERE kind = ?", (head_kind,)
    ).fetchone()
    state, generation, pieces, checked = loads(head_data, head_crc)  # type: ignore[misc]
    number = int(kind.rsplit("/", 1)[1])
    pieces = (*pieces[:number], (crc, len(data)), *pieces[number + 1 :])
    blob, blob_crc = dumps((state, generation, pieces, checked))
    db.execute("UPDATE results SET data = ?, crc = ? WHERE kind = ?", (blob, blob_crc, head_kind))


@pytest.mark.parametrize("damage", [_flip_a_byte, _drop_a_piece, _foreign_piece])
@pytest.mark.parametrize("which", [0, 2, -1])
def test_a_bad_piece_makes_the_next_check_full_and_it_is_stored_again(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[sqlite3.Connection, str], None],
    which: int,
) -> None:
    _small_pieces(monkeypatch, 5, 5)
    root = _vault(tmp_path / "vault", 20)
    _warm(root)
    _edit(root, "N3.md", OLD_NS + 10**9)
    assert _warm(root).incremental  # a sound state: the next edit is checked incrementally
    pieces = _pieces(root)
    assert len(pieces) > 6
    with sqlite3.connect(cache_path(root.absolute())) as db:
        damage(db, pieces[which])
    assert read_state(cache_path(root.absolute()), _state_kind(root)) is None
    _edit(root, "N5.md", OLD_NS + 2 * 10**9)
    rebuilt = _warm(root)
    assert not rebuilt.incremental and not rebuilt.reused
    assert rebuilt.result.diagnostics == _cold(root)
    _edit(root, "N6.md", OLD_NS + 3 * 10**9)
    after = _warm(root)
    assert after.incremental
    assert after.result.diagnostics == _cold(root)


def test_a_state_not_finished_is_never_read(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    root = _vault(tmp_path / "vault", 10)
    _warm(root)
    state = _stored_state(root)
    writer = StateWriter(path, "check-state/x", 1)
    writer.begin(state.listing, state.checked_ns, state.codes)
    writer.records(list(state.records.items()), {}, state.vocabulary)
    assert read_state(path, "check-state/x") is None  # pieces stored, no head yet
    writer.end(state.vault_found, state.result, state.aliases, state.suggestions)
    writer.abandon()
    assert read_state(path, "check-state/x") is None
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM results").fetchone() == (0,)


def _largest_state_value(root: Path) -> int:
    """Bytes of the largest value the check stored for the next one (as one value or
    as the largest of its pieces)."""
    with sqlite3.connect(cache_path(root.absolute())) as db:
        (largest,) = db.execute(
            "SELECT max(length(data)) FROM results WHERE kind LIKE 'check-state/%'"
        ).fetchone()
    return int(largest)


def test_no_stored_value_of_the_state_grows_with_the_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_pieces(monkeypatch, 100, 100)
    sizes = []
    for notes in (500, 1000):
        root = _vault(tmp_path / f"n{notes}", notes)
        _warm(root)
        sizes.append(_largest_state_value(root))
    assert sizes[1] < 1.2 * sizes[0]


def test_records_are_stored_as_columns_and_any_other_shape_is_a_miss(tmp_path: Path) -> None:
    root = _vault(tmp_path / "vault", 12)
    _warm(root)
    records = list(_stored_state(root).records.items())
    columns = stored_state._columns(records)
    assert all(type(column) is list for column in columns)  # plain values: cheap to pickle
    assert stored_state._records(pickle.loads(pickle.dumps(columns))) == dict(records)
    assert stored_state._records(stored_state._columns([])) == {}
    short = [column[:-1] if i == 3 else column for i, column in enumerate(columns)]
    assert stored_state._records(short) is None  # one column a record short
    assert stored_state._records(columns[:-1]) is None  # a column missing
    assert stored_state._records([[1, *columns[0][1:]], *columns[1:]]) is None  # not a name
