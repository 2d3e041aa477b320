"""Output formats for `check`: text, json, github and sarif, one module each."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kbtool.lint.formats.options import FORMATS, OUTPUT_FORMATS, ReportOptions, display_path

if TYPE_CHECKING:
    from kbtool.lint.engine import CheckResult

__all__ = ["FORMATS", "OUTPUT_FORMATS", "Renderer", "ReportOptions", "display_path", "renderer"]

Renderer = Callable[["CheckResult", ReportOptions], str]


def renderer(name: str) -> Renderer:
    """The render function of a format: `render(result, options) -> str`."""
    from kbtool.lint.formats import github, json_format, sarif, text

    return {
        "text": text.render,
        "json": json_format.render,
        "github": github.render,
        "sarif": sarif.render,
    }[name]
