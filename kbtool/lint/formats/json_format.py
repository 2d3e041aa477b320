"""The contract's JSON document: version, vault, summary and diagnostics (paths vault-relative)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from kbtool.base.jsonout import json_text
from kbtool.base.version import __version__

if TYPE_CHECKING:
    from kbtool.lint.engine import CheckResult
    from kbtool.lint.formats.options import ReportOptions


def render(result: CheckResult, options: ReportOptions) -> str:
    document = {
        "kbtool": __version__,
        "vault": str(options.vault_root),
        "summary": result.summary,
        "diagnostics": [dataclasses.asdict(d) for d in result.diagnostics],
    }
    return json_text(document)
