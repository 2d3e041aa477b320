"""GitHub Actions workflow commands, so findings annotate the pull request's files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbtool.lint.formats.text import summary_line

if TYPE_CHECKING:
    from kbtool.lint.engine import CheckResult
    from kbtool.lint.formats.options import ReportOptions

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult, options: ReportOptions) -> str:
    """One workflow command a finding; `file=` is relative to the current folder, which in
    a workflow is the checkout, so the annotation lands on the file."""
    lines = []
    for d in result.diagnostics:
        path = options.display_path(d.path)
        lines.append(
            f"::{_LEVEL[d.severity]} file={_escape_property(path)},line={d.line},"
            f"col={d.column},endLine={d.end_line},endColumn={d.end_column},"
            f"title={_escape_property(f'kbtool ({d.code})')}::{_escape_data(d.message)}"
        )
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
