"""`check --fix`: apply the safe fixes that rules attach to their findings.

A fix sets one frontmatter property to one line of YAML (today: `tags: a, b`
becomes `tags: [a, b]`). Each note is read once, every fix for it is applied
with the byte-preserving frontmatter editor, and the note is replaced
atomically, only if it is unchanged on disk since it was read. A fix that
cannot be applied safely is skipped and reported; the note keeps its bytes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kbtool.atomic import ConcurrentChangeError, write_atomic
from kbtool.frontmatter_edit import FrontmatterEditError, set_frontmatter_value
from kbtool.model import Diagnostic
from kbtool.vault import Vault


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
        if d.fix is not None and "key" in d.fix:
            by_path[d.path].append(d)
    for path, fixes in sorted(by_path.items()):
        file = vault.root / path
        try:
            original = file.read_bytes()
            text = original.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            report.failed.extend((d, f"cannot read the note: {exc}") for d in fixes)
            continue
        applied: list[Diagnostic] = []
        for d in fixes:
            assert d.fix is not None
            try:
                text = set_frontmatter_value(
                    text, d.fix["key"], d.fix["value"], expected=d.fix["replacement"]
                )
                applied.append(d)
            except (FrontmatterEditError, ValueError) as exc:
                report.failed.append((d, str(exc)))
        if not applied:
            continue
        try:
            write_atomic(file, text.encode("utf-8"), expect=original)
        except (ConcurrentChangeError, OSError) as exc:
            report.failed.extend((d, str(exc)) for d in applied)
            continue
        report.fixed.extend(applied)
    return report
