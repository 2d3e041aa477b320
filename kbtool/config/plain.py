"""kbtool.toml's data as settings without pydantic, when every value already has the
type its setting declares (strings, booleans, lists and tables of them, as nearly
every file has): pydantic would return the same values, and importing it and building
its validators costs more than the rest of a small check. Anything else (a value to
convert, an unknown key, a check that fails) is left to `kbtool.config.validate`, which
converts it or words the error.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Annotated, Any, Literal, TypeVar, Union

Settings = TypeVar("Settings")


class _NotExact(Exception):
    """A value pydantic would have to convert, or to report."""


def exactly_typed(settings_type: type[Settings], raw: dict[str, Any]) -> Settings | None:
    """`raw` as `settings_type` (a dataclass of kbtool.config) when each value has its
    declared type; None when pydantic must decide."""
    try:
        return _table(settings_type, raw)
    except _NotExact:
        return None


def _keys(table: type[Any]) -> dict[str, str]:
    """Each key the table accepts (its alias or, as pydantic populates by name, the field's
    own name) and the field it sets."""
    config = getattr(table, "__pydantic_config__", {})
    alias = config.get("alias_generator") or (lambda name: name)
    keys: dict[str, str] = {}
    for f in dataclasses.fields(table):
        keys[f.name] = f.name
        keys[alias(f.name)] = f.name
    return keys


def _table(table: type[Settings], value: object) -> Settings:
    if type(value) is not dict:
        raise _NotExact
    hints = typing.get_type_hints(table, include_extras=True)
    keys = _keys(table)
    given: dict[str, Any] = {}
    for key, item in value.items():
        name = keys.get(key)
        if name is None or name in given:  # unknown, or given under both names
            raise _NotExact
        given[name] = _value(hints[name], item)
    return table(**given)


def _value(declared: Any, value: object) -> Any:
    origin, args = typing.get_origin(declared), typing.get_args(declared)
    if origin is Annotated:
        checked = _value(args[0], value)
        for check in declared.__metadata__:
            try:
                checked = check.check(checked)
            except (ValueError, AssertionError):
                raise _NotExact from None
        return checked
    if declared is Any:
        return value
    if declared in (str, bool):
        if type(value) is not declared:
            raise _NotExact
        return value
    if origin is Literal:
        if type(value) is not str or value not in args:
            raise _NotExact
        return value
    if origin in (Union, types.UnionType):  # `X | None`: TOML has no null, so X
        return _value(next(a for a in args if a is not type(None)), value)
    if origin is list:
        if type(value) is not list:
            raise _NotExact
        return [_value(args[0], item) for item in value]
    if origin is dict:
        if type(value) is not dict:
            raise _NotExact
        return {_value(args[0], k): _value(args[1], v) for k, v in value.items()}
    if dataclasses.is_dataclass(declared):
        return _table(declared, value)  # type: ignore[arg-type]
    raise _NotExact
