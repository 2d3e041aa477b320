"""`path:line:column: CODE message`, one a line, then a summary line."""

from __future__ import annotations

from kbtool.check import CheckResult

_COLOURS = {"error": "31", "warning": "33", "info": "36"}


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


def render(result: CheckResult, vault_root: str, colour: bool) -> str:
    lines = []
    for d in result.diagnostics:
        code = d.code
        if colour:
            code = f"\x1b[1;{_COLOURS[d.severity]}m{d.code}\x1b[0m"
            where = f"\x1b[1m{d.path}\x1b[0m:{d.line}:{d.column}:"
        else:
            where = f"{d.path}:{d.line}:{d.column}:"
        lines.append(f"{where} {code} {d.message}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
