"""`kbtool.toml`: the vault's schema, rule selection, excludes and review defaults.

Everything is optional. A bad file is a `ConfigError` that names the file, the
key and what was expected; the command line turns it into exit status 2.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kbtool.fileread import MAX_CONFIG_BYTES, NotReadable, read_inside

CONFIG_NAME = "kbtool.toml"

FieldKind = Literal[
    "text",
    "list",
    "number",
    "integer",
    "checkbox",
    "date",
    "datetime",
    "date-or-datetime",
    "interval",
    "any",
]

#: The seed note's schema: every field it carries and what its value must be.
SEED_FIELDS: dict[str, FieldKind] = {
    "aliases": "list",
    "confidence": "text",
    "created": "date-or-datetime",
    "epistemic": "text",
    "last_reviewed": "date",
    "modified": "date-or-datetime",
    "purpose": "text",
    "review_interval": "interval",
    "see_also": "list",
    "source_of_truth": "list",
    "status": "text",
    "tags": "list",
    "title": "text",
    "type": "text",
    "uid": "text",
    "updated": "date-or-datetime",
    "version": "integer",
}
SEED_REQUIRED = ("title", "type", "created", "tags")
#: Obsidian's reserved list properties, checked on every note.
RESERVED_LISTS = ("tags", "aliases", "cssclasses")


class ConfigError(Exception):
    """A `kbtool.toml` that cannot be used; the message says what and where."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TypeSchema(_Strict):
    """What one note type (the `type` property's value) must carry."""

    required: list[str] | None = None
    tag: str | None = None  # the tag that goes with the type; default "type/<type lower-cased>"
    fields: dict[str, FieldKind] = Field(default_factory=dict)


class SchemaConfig(_Strict):
    require_type: bool = False
    fields: dict[str, FieldKind] = Field(default_factory=dict)
    required: list[str] = Field(default_factory=lambda: list(SEED_REQUIRED))
    allowed: dict[str, list[Any]] = Field(default_factory=dict)
    types: dict[str, TypeSchema] = Field(default_factory=dict)
    title_matches_filename: bool = True

    def all_fields(self) -> dict[str, FieldKind]:
        return {**SEED_FIELDS, **self.fields}


class RulesConfig(_Strict):
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Literal["error", "warning", "info", "off"]] = Field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-path-ignores")


class LinksConfig(_Strict):
    resolve_aliases: bool = False


class ReviewConfig(_Strict):
    mode: Literal["fixed", "fsrs"] = "fixed"
    default_interval: str = "90d"
    intervals: dict[str, str] = Field(default_factory=dict)  # per note type

    @field_validator("default_interval", "intervals")
    @classmethod
    def _valid_intervals(cls, value: str | dict[str, str]) -> str | dict[str, str]:
        """A bad interval is a configuration error (exit 2), not a silent default."""
        from kbtool.review.interval import parse_interval

        for interval in value.values() if isinstance(value, dict) else [value]:
            parse_interval(interval)  # IntervalError is a ValueError: pydantic reports it
        return value


class VaultConfig(_Strict):
    exclude: list[str] = Field(default_factory=list)
    schema_: SchemaConfig = Field(default_factory=SchemaConfig, alias="schema")
    rules: RulesConfig = Field(default_factory=RulesConfig)
    links: LinksConfig = Field(default_factory=LinksConfig)
    review: ReviewConfig = Field(default_factory=ReviewConfig)
    site: dict[str, Any] = Field(default_factory=dict)

    @field_validator("exclude")
    @classmethod
    def _no_empty_patterns(cls, value: list[str]) -> list[str]:
        if any(not p.strip() for p in value):
            raise ValueError("exclude patterns must not be empty")
        return value


@dataclass(frozen=True)
class Config:
    """The loaded configuration, plus where it came from."""

    settings: VaultConfig = field(default_factory=VaultConfig)
    path: Path | None = None
    has_file: bool = False

    @property
    def schema(self) -> SchemaConfig:
        return self.settings.schema_


def _describe(error: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown key '{loc}'"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"'{loc}': {message} (got {error.get('input')!r})"


def load_config(vault_root: Path) -> Config:
    """Read `kbtool.toml` at the vault root; the defaults when there is none.

    Only a regular file inside the vault (or a link to one) of at most 1 MiB is
    read: a link out of the vault, to itself or to a FIFO is a `ConfigError`.
    """
    path = vault_root / CONFIG_NAME
    try:
        raw = tomllib.loads(read_inside(path, vault_root, MAX_CONFIG_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return Config()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 ({exc.reason})") from exc
    except NotReadable as exc:
        raise ConfigError(f"{path}: not read: {exc.reason}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    try:
        settings = VaultConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{path}: {_describe(first)}{more}") from exc
    return Config(settings=settings, path=path, has_file=True)
