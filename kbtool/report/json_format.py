"""The contract's JSON document: version, vault, summary and diagnostics."""

from __future__ import annotations

import dataclasses

from kbtool import __version__
from kbtool.check import CheckResult
from kbtool.jsonout import json_text


def render(result: CheckResult, vault_root: str, colour: bool) -> str:
    document = {
        "kbtool": __version__,
        "vault": vault_root,
        "summary": result.summary,
        "diagnostics": [dataclasses.asdict(d) for d in result.diagnostics],
    }
    return json_text(document)
