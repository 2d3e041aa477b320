"""Output formats for `check`: text, json, github and sarif, one module each."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbtool.check import CheckResult

Renderer = Callable[["CheckResult", str, bool], str]


def renderer(name: str) -> Renderer:
    """The render function of a format: `render(result, vault_root, colour) -> str`."""
    from kbtool.report import github, json_format, sarif, text

    return {
        "text": text.render,
        "json": json_format.render,
        "github": github.render,
        "sarif": sarif.render,
    }[name]


FORMATS = ("text", "json", "github", "sarif")
