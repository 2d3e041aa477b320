"""What every rule receives: the vault, its configuration, the date of the run, and the
notes whose findings are wanted.

Work that several rules share (schema validation for KB101 to KB103, link
resolution for KB201 to KB205) is computed once here, lazily, and cached.

A rule of one note reads `ctx.notes` and `ctx.links`, never every note of the vault:
a check of some notes (`subjects`, the incremental check's changed notes and those
whose links they reach) then costs what those notes cost, and gives exactly the
findings that a check of the whole vault gives for them. A rule whose findings
depend on every note says so in its registration (`vault_input`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from kbtool.model import Note

if TYPE_CHECKING:
    from kbtool.config import Config
    from kbtool.lint.schema import SchemaReport
    from kbtool.vault.load import Vault
    from kbtool.vault.resolve import ResolvedLink
    from kbtool.vault.subpaths import SubpathKind


@dataclass
class RuleContext:
    vault: Vault
    today: dt.date
    subjects: Sequence[Note] | None = None  # None: every note of the vault

    @property
    def config(self) -> Config:
        return self.vault.config

    @cached_property
    def notes(self) -> Sequence[Note]:
        """The notes whose findings are wanted, in vault order."""
        if self.subjects is None:
            return list(self.vault.notes.values())
        return self.subjects

    @cached_property
    def links(self) -> Sequence[ResolvedLink]:
        """The internal links written in `notes`, resolved, in file order note by note
        (for every note: `Resolver.resolved_links()`)."""
        resolver = self.vault.resolver
        if self.subjects is None:
            return resolver.resolved_links()
        return [item for note in self.subjects for item in resolver.links_of(note)]

    @cached_property
    def unresolved_links(self) -> list[ResolvedLink]:
        """`links` that lead to no file: what KB201, KB205 and KB208 look through, each a
        few of the many links, picked in one pass for the three."""
        return [item for item in self.links if item.resolution.target is None]

    def subpath_links(self, kind: SubpathKind) -> list[ResolvedLink]:
        """`links` to a note with a subpath of this kind (`#heading` or `#^block`)."""
        if self.subjects is None:
            return self.vault.resolver.subpath_links(kind)
        from kbtool.vault.resolve import subpath_links_among

        return subpath_links_among(self._subpath_links, kind)

    @cached_property
    def _subpath_links(self) -> list[ResolvedLink]:
        """`links` with a subpath to a note, of either kind: filtered once for both."""
        from kbtool.vault.resolve import subpath_links_among

        return subpath_links_among(self.links)

    @cached_property
    def schema(self) -> SchemaReport:
        from kbtool.lint.schema import validate_notes

        return validate_notes(self.notes, self.vault.config)
