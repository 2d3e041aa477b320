"""`path:line:column: CODE severity: message`, one a line, then a summary line.

The path is as typed from the current folder; the code still follows the
location, so scripts that read `path:line:column: CODE` keep working, and the
severity word lets a piped log tell errors from warnings. `full` adds the
source line with a caret under the finding (as ruff does); `statistics`
prints a count per code instead of the findings.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtool.notes.lines import decode, split_lines

if TYPE_CHECKING:
    from kbtool.lint.engine import CheckResult
    from kbtool.lint.formats.options import ReportOptions
    from kbtool.model import Diagnostic

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(result: CheckResult) -> str:
    s = result.summary
    found = ", ".join(
        [
            _plural(s["errors"], "error"),
            _plural(s["warnings"], "warning"),
            _plural(s["infos"], "info"),
        ]
    )
    return f"Checked {_plural(s['notes'], 'note')}: {found}."


class _Styler:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, **style: object) -> str:
        return click.style(text, **style) if self.colour else text  # type: ignore[arg-type]


def finding_line(d: Diagnostic, options: ReportOptions) -> str:
    style = _Styler(options.colour)
    colour = _COLOURS[d.severity]
    where = f"{style(options.display_path(d.path), bold=True)}:{d.line}:{d.column}:"
    code = style(d.code, fg=colour, bold=True)
    return f"{where} {code} {style(d.severity + ':', fg=colour)} {d.message}"


def _width(text: str) -> int:
    """Terminal cells: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _source_lines(root: Path, path: str, cache: dict[str, list[str]]) -> list[str]:
    if path not in cache:
        try:
            cache[path] = split_lines(decode((root / path).read_bytes()))
        except OSError:
            cache[path] = []
    return cache[path]


def source_excerpt(d: Diagnostic, lines: list[str], colour: bool) -> list[str]:
    """The finding's line with carets under its columns (tabs kept, so they line up)."""
    if not 0 < d.line <= len(lines):
        return []
    style = _Styler(colour)
    text = lines[d.line - 1]
    start = min(d.column - 1, len(text))
    end = d.end_column - 1 if d.end_line == d.line and d.end_column > d.column else start + 1
    before = "".join("\t" if c == "\t" else " " * _width(c) for c in text[:start])
    carets = "^" * max(1, _width(text[start:end]))
    gutter = " " * len(str(d.line))
    return [
        f"{gutter} |",
        f"{d.line} | {text}",
        f"{gutter} | {before}{style(carets, fg=_COLOURS[d.severity], bold=True)}",
        "",
    ]


def statistics_lines(result: CheckResult, colour: bool) -> list[str]:
    """A count per code, most frequent first, as ruff's --statistics."""
    style = _Styler(colour)
    counts = Counter(d.code for d in result.diagnostics)
    first = {d.code: d for d in reversed(result.diagnostics)}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(n)) for _, n in rows), default=1)
    name_width = max((len(first[code].name) for code, _ in rows), default=0)
    return [
        f"{n:>{width}}  {style(code, fg=_COLOURS[first[code].severity], bold=True)}  "
        f"{first[code].name:<{name_width}}  {first[code].severity}"
        for code, n in rows
    ]


def render(result: CheckResult, options: ReportOptions) -> str:
    if options.statistics:
        lines = statistics_lines(result, options.colour)
    else:
        lines = []
        cache: dict[str, list[str]] = {}
        for d in result.diagnostics:
            lines.append(finding_line(d, options))
            if options.output_format == "full":
                source = _source_lines(options.vault_root, d.path, cache)
                lines.extend(source_excerpt(d, source, options.colour))
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
