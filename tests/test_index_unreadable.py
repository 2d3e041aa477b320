"""An unreadable note has no modification time: the index never dates it to 1970."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kbtool.index import build_index, index_data, render_markdown
from kbtool.index.recent import modified_at
from kbtool.vault.load import load_vault, read_note

STAMP = dt.datetime(2024, 3, 1, tzinfo=dt.UTC).timestamp()


def test_an_unreadable_note_is_left_out_of_recent(tmp_path: Path) -> None:
    (tmp_path / "Kept.md").write_text("A note.\n")
    os.utime(tmp_path / "Kept.md", (STAMP, STAMP))
    gone = tmp_path / "Gone.md"
    gone.write_text("Deleted between listing and reading.\n")
    vault = load_vault(tmp_path)
    gone.unlink()
    # the note as the loader reads it when its file fails to open (here: it vanished)
    vault.notes["Gone.md"] = read_note("Gone.md", gone)
    assert vault.notes["Gone.md"].problems[0].code == "KB001"
    assert modified_at(vault.notes["Gone.md"]) is None
    index = build_index(vault, today=dt.date(2025, 1, 1))
    assert index.recent == ("Kept.md",)
    data = index_data(index)
    entry = next(n for n in data["notes"] if n["path"] == "Gone.md")
    assert (entry["modified"], entry["modified_source"]) == (None, None)
    markdown = render_markdown(index)
    recent = markdown.split("## Recently modified", 1)[1]
    assert "1970" not in markdown and "Gone" not in recent
    assert "2024-03-01 " in recent
