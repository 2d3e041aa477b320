"""SARIF 2.1.0, with every rule that ran listed under tool.driver.rules.

Artifact URIs are relative references, percent-encoded as RFC 3986 asks (a
note named `Note: x.md` is not a URI with the scheme `note:`), resolved
against `%SRCROOT%`, the current folder, as code-scanning uploads expect.
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kbtool.base.jsonout import json_text
from kbtool.base.version import __version__
from kbtool.lint.registry import all_rules

if TYPE_CHECKING:
    from kbtool.lint.engine import CheckResult
    from kbtool.lint.formats.options import ReportOptions

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"


def project_url() -> str | None:
    """The project's repository from its package metadata (`[project.urls]` Repository),
    or None: SARIF's informationUri is optional, and better absent than pointing nowhere."""
    try:
        entries = metadata.metadata("kbtool").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in map(str, entries):
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("repository", "source", "homepage") and url.strip():
            return url.strip()
    return None


def artifact_uri(display_path: str) -> str:
    """A relative URI reference for a path: every reserved character but `/` escaped."""
    return quote(display_path, safe="/")


def render(result: CheckResult, options: ReportOptions) -> str:
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
                        "artifactLocation": {
                            "uri": artifact_uri(options.display_path(d.path)),
                            "uriBaseId": SRCROOT,
                        },
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
    driver: dict[str, Any] = {"name": "kbtool", "version": __version__}
    url = project_url()
    if url is not None:
        driver["informationUri"] = url
    driver["rules"] = driver_rules
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {SRCROOT: {"uri": options.cwd.resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json_text(document)
