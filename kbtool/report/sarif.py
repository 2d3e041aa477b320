"""SARIF 2.1.0, with every rule that ran listed under tool.driver.rules."""

from __future__ import annotations

from typing import Any

from kbtool import __version__
from kbtool.check import CheckResult
from kbtool.jsonout import json_text
from kbtool.registry import all_rules

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(result: CheckResult, vault_root: str, colour: bool) -> str:
    rules = all_rules()
    codes = sorted(set(result.rules_run) | {d.code for d in result.diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    driver_rules = [
        {
            "id": code,
            "name": rules[code].name,
            "shortDescription": {"text": rules[code].summary},
            "fullDescription": {"text": rules[code].doc},
            "defaultConfiguration": {"level": _LEVEL.get(rules[code].default, "none")},
        }
        for code in codes
    ]
    results: list[dict[str, Any]] = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.path, "uriBaseId": "VAULT"},
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        },
                    }
                }
            ],
        }
        for d in result.diagnostics
    ]
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kbtool",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/kbtool/",
                        "rules": driver_rules,
                    }
                },
                "originalUriBaseIds": {"VAULT": {"uri": "file://" + vault_root.rstrip("/") + "/"}},
                "results": results,
            }
        ],
    }
    return json_text(document)
