"""Validate the data of a `kbtool.toml` with pydantic, into `kbtool.config`'s settings.

Imported only when a file has something to validate: pydantic, and the schema it
builds from the settings' declarations, are most of a small check's start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import ErrorDetails  # pydantic's own type of a validation error

Settings = TypeVar("Settings")


class Invalid(ValueError):
    """The data is not valid; the message names the first problem (and how many more)."""


#: pydantic's validator of each settings type, built on first use (the build is costly)
_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(settings_type: type[Any]) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter

    if settings_type not in _ADAPTERS:
        _ADAPTERS[settings_type] = TypeAdapter(settings_type)
    return _ADAPTERS[settings_type]


def _describe(error: ErrorDetails) -> str:
    """One error as kbtool says it. The tables are dataclasses, whose errors pydantic
    words a little differently from a model's: said here as they always were."""
    loc = ".".join(str(p) for p in error["loc"])
    if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        return f"unknown key '{loc}'"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "dataclass_type":
        message = f"Input should be a valid dictionary or instance of {error['ctx']['class_name']}"
    return f"'{loc}': {message} (got {error.get('input')!r})"


def validated(settings_type: type[Settings], raw: dict[str, Any]) -> Settings:
    """`raw` (parsed TOML) as `settings_type`, a dataclass; `Invalid` when it is not."""
    from pydantic import ValidationError

    try:
        return cast(Settings, _adapter(settings_type).validate_python(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise Invalid(f"{_describe(first)}{more}") from exc
