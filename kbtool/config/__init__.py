"""`kbtool.toml`: the vault's schema, rule selection, excludes and review defaults.

Everything is optional. A bad file is a `ConfigError` that names the file, the
key and what was expected; the command line turns it into exit status 2.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kbtool.config.obsidian import LinkFormat, ObsidianSettings, read_obsidian_settings
from kbtool.errors import KbtoolError
from kbtool.notes.intervals import parse_interval

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails  # pydantic's own type of a validation error
from kbtool.base.fileread import MAX_CONFIG_BYTES, NotReadable, read_inside

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


class ConfigError(KbtoolError):
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
    """How links resolve; every setting beyond Obsidian's behaviour is off by default."""

    resolve_aliases: bool = False
    heading_slugs: Literal["obsidian", "github", "both"] = "obsidian"
    generated_pages: list[str] = Field(default_factory=list)  # path prefixes, e.g. "tags/"
    folder_pages: bool = False  # `[[folder/]]` reaches a folder that holds notes
    allow_unresolved: bool = False  # a link to a note not yet written is KB208 (info)

    @field_validator("generated_pages")
    @classmethod
    def _prefixes(cls, value: list[str]) -> list[str]:
        """Prefixes compare like link paths: no leading `/`, case ignored."""
        cleaned = [p.strip().lstrip("/").lower() for p in value]
        if any(not p for p in cleaned):
            raise ValueError("generated page prefixes must not be empty")
        return cleaned


class ObsidianConfig(_Strict):
    """Overrides for what `.obsidian/` says (each None: take Obsidian's setting)."""

    read_settings: bool = True
    templates_folder: str | None = None  # "" checks the templates folder like any other
    attachment_folder: str | None = None
    new_link_format: Literal["shortest", "relative", "absolute"] | None = None


class ReviewConfig(_Strict):
    mode: Literal["fixed", "fsrs"] = "fixed"
    default_interval: str = "90d"
    intervals: dict[str, str] = Field(default_factory=dict)  # per note type

    @field_validator("default_interval", "intervals")
    @classmethod
    def _valid_intervals(cls, value: str | dict[str, str]) -> str | dict[str, str]:
        """A bad interval is a configuration error (exit 2), not a silent default."""

        for interval in value.values() if isinstance(value, dict) else [value]:
            parse_interval(interval)  # IntervalError is a ValueError: pydantic reports it
        return value


class VaultConfig(_Strict):
    name: str | None = None  # the vault's name; default: its folder's (see kbtool.review.vaultname)
    exclude: list[str] = Field(default_factory=list)
    schema_: SchemaConfig = Field(default_factory=SchemaConfig, alias="schema")
    rules: RulesConfig = Field(default_factory=RulesConfig)
    links: LinksConfig = Field(default_factory=LinksConfig)
    obsidian: ObsidianConfig = Field(default_factory=ObsidianConfig)
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
    """The loaded configuration, plus where it came from.

    `obsidian` is what the vault's `.obsidian/` folder says; the properties
    below merge it with `kbtool.toml`, which wins. `notices` say what was read
    or ignored, for verbose output.
    """

    settings: VaultConfig = field(default_factory=VaultConfig)
    path: Path | None = None
    has_file: bool = False
    obsidian: ObsidianSettings = field(default_factory=ObsidianSettings)
    notices: tuple[str, ...] = ()

    @property
    def schema(self) -> SchemaConfig:
        return self.settings.schema_

    @property
    def templates_folder(self) -> str | None:
        """The folder whose notes are templates, not notes (not loaded); None for none."""
        configured = self.settings.obsidian.templates_folder
        if configured is not None:
            return configured.strip().strip("/") or None
        return self.obsidian.templates_folder

    @property
    def attachment_folder(self) -> str | None:
        configured = self.settings.obsidian.attachment_folder
        return configured if configured is not None else self.obsidian.attachment_folder

    @property
    def new_link_format(self) -> LinkFormat:
        """How a fix writes a link: Obsidian's "New link format" (shortest by default)."""
        return self.settings.obsidian.new_link_format or self.obsidian.new_link_format or "shortest"

    @property
    def property_kinds(self) -> dict[str, FieldKind]:
        """The kind of every property Obsidian types (types.json), where kbtool.toml's
        `[schema.fields]` does not say otherwise."""
        fields = self.schema.fields
        types = self.obsidian.property_types
        return {k: fields.get(k, cast(FieldKind, v)) for k, v in types.items()}


def _describe(error: ErrorDetails) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown key '{loc}'"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"'{loc}': {message} (got {error.get('input')!r})"


_TOO_DEEP = "arrays or tables nested too deeply to read (a setting nests a few levels at most)"


def load_config(vault_root: Path) -> Config:
    """Read `kbtool.toml` at the vault root (the defaults when there is none) and
    what `.obsidian/` says.

    Only a regular file inside the vault (or a link to one) of at most 1 MiB is
    read: a link out of the vault, to itself or to a FIFO is a `ConfigError`.
    """
    path = vault_root / CONFIG_NAME
    try:
        raw = tomllib.loads(read_inside(path, vault_root, MAX_CONFIG_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return build_config(vault_root, {})
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 ({exc.reason})") from exc
    except NotReadable as exc:
        raise ConfigError(f"{path}: not read: {exc.reason}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except RecursionError as exc:  # tomllib recurses once per nested array or table
        raise ConfigError(f"{path}: invalid TOML: {_TOO_DEEP}") from exc
    return build_config(vault_root, raw, path)


def build_config(vault_root: Path, raw: dict[str, Any], path: Path | None = None) -> Config:
    """The configuration from parsed `kbtool.toml` data (`raw`, from `path`) merged with
    the vault's `.obsidian/` settings, unless `[obsidian] read_settings = false`."""
    try:
        settings = VaultConfig.model_validate(raw)
    except RecursionError as exc:
        raise ConfigError(f"{path}: {_TOO_DEEP}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{path or CONFIG_NAME}: {_describe(first)}{more}") from exc
    obsidian = ObsidianSettings()
    if settings.obsidian.read_settings:
        obsidian = read_obsidian_settings(vault_root)
    config = Config(settings, path, path is not None, obsidian)
    return replace(config, notices=(*obsidian.notices, *_templates_notice(config)))


def _templates_notice(config: Config) -> tuple[str, ...]:
    """Say once which folder is left out as templates, and how to check it anyway."""
    folder = config.templates_folder
    if folder is None:
        return ()
    source = (
        f"{CONFIG_NAME} [obsidian] templates_folder"
        if config.settings.obsidian.templates_folder is not None
        else config.obsidian.templates_source
    )
    return (
        f"not checking the notes in {folder}/: the templates folder (from {source}); "
        f'set [obsidian] templates_folder = "" in {CONFIG_NAME} to check them',
    )
