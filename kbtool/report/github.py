"""GitHub Actions workflow commands, so findings annotate the pull request's files."""

from __future__ import annotations

from kbtool.check import CheckResult
from kbtool.report.text import summary_line

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult, vault_root: str, colour: bool) -> str:
    lines = []
    for d in result.diagnostics:
        lines.append(
            f"::{_LEVEL[d.severity]} file={_escape_property(d.path)},line={d.line},"
            f"col={d.column},endLine={d.end_line},endColumn={d.end_column},"
            f"title={_escape_property(f'kbtool ({d.code})')}::{_escape_data(d.message)}"
        )
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
