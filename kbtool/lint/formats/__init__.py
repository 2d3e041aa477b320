"""Output formats for `check`: text, json, github and sarif, one module each."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from kbtool.lint.formats.options import (
    FORMATS,
    OUTPUT_FORMATS,
    PathDisplay,
    ReportOptions,
    display_path,
)

if TYPE_CHECKING:
    from kbtool.lint.engine import CheckResult

__all__ = [
    "FORMATS",
    "OUTPUT_FORMATS",
    "PathDisplay",
    "Renderer",
    "ReportOptions",
    "display_path",
    "renderer",
]

Renderer = Callable[["CheckResult", ReportOptions], str]


#: the module of each format; only the one asked for is imported (sarif's reads package
#: metadata, most of a small check's output time)
_MODULES = {"text": "text", "json": "json_format", "github": "github", "sarif": "sarif"}


def renderer(name: str) -> Renderer:
    """The render function of a format: `render(result, options) -> str`."""
    module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    return cast(Renderer, module.render)
