"""What every rule receives: the vault, its configuration and the date of the run.

Work that several rules share (schema validation for KB101 to KB103, link
resolution for KB201 to KB205) is computed once here, lazily, and cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbtool.config import Config
    from kbtool.lint.schema import SchemaReport
    from kbtool.vault.load import Vault


@dataclass
class RuleContext:
    vault: Vault
    today: dt.date

    @property
    def config(self) -> Config:
        return self.vault.config

    @cached_property
    def schema(self) -> SchemaReport:
        from kbtool.lint.schema import validate_notes

        return validate_notes(self.vault.notes.values(), self.vault.config)
