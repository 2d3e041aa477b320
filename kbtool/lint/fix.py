"""`check --fix`: apply the safe fixes that rules attach to their findings.

Two kinds of fix: one that sets a frontmatter property to one line of YAML
(`tags: a, b` becomes `tags: [a, b]`), applied with the byte-preserving
frontmatter editor; and one that replaces the exact characters of a link on
its line (`[[AI]]` becomes `[[Artificial Intelligence|AI]]`), applied only if
those characters are still there. Each note is read once, its link fixes are
applied from the end backwards (so earlier columns stay true), then its
property fixes, and the note is replaced atomically, only if it is unchanged on
disk since it was read. A fix that cannot be applied safely is skipped and
reported; the note keeps its bytes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kbtool.errors import KbtoolError
from kbtool.model import Diagnostic, ReplaceText
from kbtool.notes.frontmatter import scan_frontmatter
from kbtool.notes.lines import BOM, split_lines
from kbtool.notes.scan import table_lines
from kbtool.vault.load import Vault
from kbtool.write.atomic import ConcurrentChangeError, read_for_update, write_atomic
from kbtool.write.frontmatter import FrontmatterEditError, set_frontmatter_value


class FixError(KbtoolError, ValueError):
    """A fix that no longer fits the note; nothing is changed."""


def table_rows(text: str) -> frozenset[int]:
    """The file lines of `text` that are table rows, as the scanner reads the body."""
    lines = text.removeprefix(BOM).split("\n")  # with their \r: the table scanner reads them
    body_start = scan_frontmatter(split_lines(text)).body_start
    return table_lines("\n".join(lines[body_start:]), body_start + 1)


def replace_span(text: str, fix: ReplaceText, tables: frozenset[int] | None = None) -> str:
    """`text` with the characters at the fix's line and columns replaced by `new`.

    Columns count code points in the file as read, after a byte order mark. A fix
    on a table row (`tables`, default: found by scanning `text`) that would write
    a `|` is refused: it would split the cell.
    """
    lines = text.split("\n")
    index = fix.line - 1
    if not 0 <= index < len(lines):
        raise FixError("the line is gone")
    line = lines[index]
    offset = 1 if index == 0 and line.startswith(BOM) else 0
    start, end = fix.column - 1 + offset, fix.end_column - 1 + offset
    if line[start:end] != fix.old:
        raise FixError(f"{fix.old} is no longer at line {fix.line}, column {fix.column}")
    if tables is None:
        tables = table_rows(text)
    if fix.line in tables and "|" in fix.new:
        raise FixError("inside a table row, where '|' would split the cell; edit it by hand")
    lines[index] = line[:start] + fix.new + line[end:]
    return "\n".join(lines)


def _order(d: Diagnostic) -> tuple[int, int, int]:
    """Link fixes first, last in the file first; then property fixes."""
    if isinstance(d.fix, ReplaceText):
        return (0, -d.fix.line, -d.fix.column)
    return (1, d.line, d.column)


@dataclass
class FixReport:
    fixed: list[Diagnostic] = field(default_factory=list)
    failed: list[tuple[Diagnostic, str]] = field(default_factory=list)

    @property
    def notes(self) -> int:
        return len({d.path for d in self.fixed})


def apply_fixes(vault: Vault, diagnostics: list[Diagnostic]) -> FixReport:
    """Apply every fix among `diagnostics` to the notes on disk; nothing else changes."""
    report = FixReport()
    by_path: defaultdict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        if d.fix is not None:
            by_path[d.path].append(d)
    for path, fixes in sorted(by_path.items()):
        file = vault.root / path
        try:
            original = read_for_update(file, vault.root)
            text = original.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            report.failed.extend((d, f"cannot read the note: {exc}") for d in fixes)
            continue
        applied: list[Diagnostic] = []
        tables = table_rows(text)
        for d in sorted(fixes, key=_order):
            fix = d.fix
            assert fix is not None
            try:
                if isinstance(fix, ReplaceText):
                    text = replace_span(text, fix, tables)
                else:
                    text = set_frontmatter_value(text, fix.key, fix.value, expected=fix.replacement)
                applied.append(d)
            except (FrontmatterEditError, ValueError) as exc:
                report.failed.append((d, str(exc)))
        if not applied:
            continue
        try:
            write_atomic(file, text.encode("utf-8"), expect=original, within=vault.root)
        except (ConcurrentChangeError, OSError) as exc:
            report.failed.extend((d, str(exc)) for d in applied)
            continue
        report.fixed.extend(applied)
    return report
