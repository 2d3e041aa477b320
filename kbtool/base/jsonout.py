"""JSON as kbtool writes it, everywhere: strict JSON that every parser reads.

Python's `json` writes `NaN` and `Infinity` for non-finite floats, which is
not JSON (jq, JavaScript's JSON.parse and most other readers refuse the
whole document). A note can hold such a value (`x: .nan` is YAML), so every
document is written with `allow_nan=False`, after non-finite floats are
turned into the strings "NaN", "Infinity" and "-Infinity": the value stays
visible, and the document stays valid. Dates become ISO 8601 strings, and
anything else that JSON has no type for becomes its `str()`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any


def _finite_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def _strict(value: Any) -> Any:
    """`value` with every non-finite float (in values and keys) replaced by a string."""
    if isinstance(value, float):
        return _finite_float(value)
    if isinstance(value, dict):
        return {
            (_finite_float(k) if isinstance(k, float) else k): _strict(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_strict(v) for v in value]
    return value


def _fallback(value: Any) -> str:
    """What JSON has no type for: dates as ISO 8601, anything else as its text."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def json_text(document: Any, *, indent: int = 2) -> str:
    """`document` as indented JSON text (UTF-8 characters kept), ending with a newline."""
    options: dict[str, Any] = {
        "indent": indent,
        "ensure_ascii": False,
        "allow_nan": False,
        "default": _fallback,
    }
    try:
        text = json.dumps(document, **options)
    except ValueError as exc:  # a non-finite float somewhere: the rare case pays for the walk
        if "Out of range float" not in str(exc):
            raise  # a circular reference: walking it would not end
        text = json.dumps(_strict(document), **options)
    return text + "\n"
