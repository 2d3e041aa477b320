"""`kbtool.toml`: the vault's schema, rule selection, excludes and review defaults.

Everything is optional. A bad file is a `ConfigError` that names the file, the
key and what was expected; the command line turns it into exit status 2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, cast

from kbtool.base.fileread import MAX_CONFIG_BYTES, NotReadable, read_inside
from kbtool.config.obsidian import LinkFormat, ObsidianSettings, read_obsidian_settings
from kbtool.errors import KbtoolError

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


class _After:
    """A check pydantic runs on a field's value once its type is validated, as a
    `field_validator` would; a plain object, so that defining the settings (and using
    the defaults) imports no pydantic: only `kbtool.config.validate` does."""

    def __init__(self, check: Callable[[Any], Any]) -> None:
        self.check = check

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))


def _aliases(*pairs: tuple[str, str]) -> dict[str, Any]:
    """pydantic's settings for one table: unknown keys refused, `pairs` (field, key in
    kbtool.toml) read under either name."""
    names = dict(pairs)
    return {
        "extra": "forbid",
        "populate_by_name": True,
        "alias_generator": lambda name: names.get(name, name),
    }


def _prefixes(value: list[str]) -> list[str]:
    """Prefixes compare like link paths: no leading `/`, case ignored."""
    cleaned = [p.strip().lstrip("/").lower() for p in value]
    if any(not p for p in cleaned):
        raise ValueError("generated page prefixes must not be empty")
    return cleaned


def _valid_interval(value: str) -> str:
    """A bad interval is a configuration error (exit 2), not a silent default."""
    from kbtool.notes.intervals import parse_interval

    parse_interval(value)  # IntervalError is a ValueError: pydantic reports it
    return value


def _valid_intervals(value: dict[str, str]) -> dict[str, str]:
    for interval in value.values():
        _valid_interval(interval)
    return value


def _no_empty_patterns(value: list[str]) -> list[str]:
    if any(not p.strip() for p in value):
        raise ValueError("exclude patterns must not be empty")
    return value


# The tables of kbtool.toml. Plain dataclasses: a vault without kbtool.toml gets the
# defaults without importing pydantic, which validates a file that exists
# (`kbtool.config.validate`) from these same declarations.


@dataclass
class TypeSchema:
    """What one note type (the `type` property's value) must carry."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _aliases()
    required: list[str] | None = None
    tag: str | None = None  # the tag that goes with the type; default "type/<type lower-cased>"
    fields: dict[str, FieldKind] = field(default_factory=dict)


@dataclass
class SchemaConfig:
    """`[schema]`: the fields notes carry, which are required, and per-type rules."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _aliases()
    require_type: bool = False
    fields: dict[str, FieldKind] = field(default_factory=dict)
    required: list[str] = field(default_factory=lambda: list(SEED_REQUIRED))
    allowed: dict[str, list[Any]] = field(default_factory=dict)
    types: dict[str, TypeSchema] = field(default_factory=dict)
    title_matches_filename: bool = True

    def all_fields(self) -> dict[str, FieldKind]:
        return {**SEED_FIELDS, **self.fields}


@dataclass
class RulesConfig:
    """`[rules]`: which rules run, at which severity, and where they are ignored."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _aliases(
        ("per_path_ignores", "per-path-ignores")
    )
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Literal["error", "warning", "info", "off"]] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class LinksConfig:
    """How links resolve; every setting beyond Obsidian's behaviour is off by default."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _aliases()
    resolve_aliases: bool = False
    heading_slugs: Literal["obsidian", "github", "both"] = "obsidian"
    # path prefixes, e.g. "tags/"
    generated_pages: Annotated[list[str], _After(_prefixes)] = field(default_factory=list)
    folder_pages: bool = False  # `[[folder/]]` reaches a folder that holds notes
    allow_unresolved: bool = False  # a link to a note not yet written is KB208 (info)


@dataclass
class ObsidianConfig:
    """Overrides for what `.obsidian/` says (each None: take Obsidian's setting)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _aliases()
    read_settings: bool = True
    templates_folder: str | None = None  # "" checks the templates folder like any other
    attachment_folder: str | None = None
    new_link_format: Literal["shortest", "relative", "absolute"] | None = None


@dataclass
class ReviewConfig:
    """`[review]`: how review dates are scheduled."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _aliases()
    mode: Literal["fixed", "fsrs"] = "fixed"
    default_interval: Annotated[str, _After(_valid_interval)] = "90d"
    # per note type
    intervals: Annotated[dict[str, str], _After(_valid_intervals)] = field(default_factory=dict)


@dataclass
class SiteConfig:
    """`[site]`: what `kbtool build` puts on its pages."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _aliases()
    title: str | None = None  # default: the vault folder's name
    lang: str = "en"
    raw_html: Literal["sanitise", "escape"] = "sanitise"
    # raw HTML elements kept that the sanitiser drops by default (never script, never a URL
    # of another host or with a scheme, so an iframe shows only the site's own pages)
    allow_html: list[Literal["iframe", "form"]] = field(default_factory=list)


@dataclass
class VaultConfig:
    """The whole of `kbtool.toml`, each table with its defaults."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _aliases(("schema_", "schema"))
    name: str | None = None  # the vault's name; default: its folder's (see kbtool.review.vaultname)
    exclude: Annotated[list[str], _After(_no_empty_patterns)] = field(default_factory=list)
    schema_: SchemaConfig = field(default_factory=SchemaConfig)
    rules: RulesConfig = field(default_factory=RulesConfig)
    links: LinksConfig = field(default_factory=LinksConfig)
    obsidian: ObsidianConfig = field(default_factory=ObsidianConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    site: SiteConfig = field(default_factory=SiteConfig)


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


_TOO_DEEP = "arrays or tables nested too deeply to read (a setting nests a few levels at most)"


def load_config(vault_root: Path) -> Config:
    """Read `kbtool.toml` at the vault root (the defaults when there is none) and
    what `.obsidian/` says.

    Only a regular file inside the vault (or a link to one) of at most 1 MiB is
    read: a link out of the vault, to itself or to a FIFO is a `ConfigError`.
    """
    path = vault_root / CONFIG_NAME
    try:
        data = read_inside(path, vault_root, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return build_config(vault_root, {})
    except NotReadable as exc:
        raise ConfigError(f"{path}: not read: {exc.reason}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    import tomllib  # only when there is a file to read

    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except RecursionError as exc:  # tomllib recurses once per nested array or table
        raise ConfigError(f"{path}: invalid TOML: {_TOO_DEEP}") from exc
    return build_config(vault_root, raw, path)


def _settings(raw: dict[str, Any], path: Path | None = None) -> VaultConfig:
    """The settings `raw` gives: without pydantic when it is empty or every value already
    has its declared type (`kbtool.config.plain`), else validated by pydantic."""
    if not raw:
        return VaultConfig()  # nothing to read
    from kbtool.config.plain import exactly_typed

    plain = exactly_typed(VaultConfig, raw)
    if plain is not None:
        return plain
    from kbtool.config.validate import Invalid, validated

    try:
        return validated(VaultConfig, raw)
    except Invalid as exc:
        raise ConfigError(f"{path or CONFIG_NAME}: {exc}") from exc


def build_config(vault_root: Path, raw: dict[str, Any], path: Path | None = None) -> Config:
    """The configuration from parsed `kbtool.toml` data (`raw`, from `path`) merged with
    the vault's `.obsidian/` settings, unless `[obsidian] read_settings = false`."""
    try:
        settings = _settings(raw, path)
    except RecursionError as exc:
        raise ConfigError(f"{path}: {_TOO_DEEP}") from exc
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
