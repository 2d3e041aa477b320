"""Every JSON document kbtool writes is strict JSON: no NaN or Infinity tokens."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from kbtool.base.jsonout import json_text
from kbtool.cli import main


def _strict_loads(text: str) -> Any:
    """Parse as a strict reader (jq, JSON.parse) would: NaN and Infinity are errors."""

    def refuse(token: str) -> None:
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def test_non_finite_floats_become_strings_in_values_and_keys() -> None:
    doc = {"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5], float("inf"): 1}
    text = json_text(doc)
    assert _strict_loads(text) == {
        "a": "NaN",
        "b": ["Infinity", "-Infinity", 1.5],
        "Infinity": 1,
    }
    assert text.endswith("}\n")


def test_dates_and_unknown_types_have_a_text_form() -> None:
    doc = {"d": dt.date(2026, 1, 2), "t": dt.datetime(2026, 1, 2, 3, 4), "b": b"x"}
    assert _strict_loads(json_text(doc, indent=1)) == {
        "d": "2026-01-02",
        "t": "2026-01-02T03:04:00",
        "b": "b'x'",
    }


def test_show_json_of_a_note_with_nan_and_infinity(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("---\ntitle: n\nx: .nan\ny: -.inf\nz: [.inf, 2]\n---\n")
    result = CliRunner().invoke(main, ["show", "n", "--vault", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    meta = _strict_loads(result.stdout)["metadata"]
    assert (meta["x"], meta["y"], meta["z"]) == ("NaN", "-Infinity", ["Infinity", 2])
