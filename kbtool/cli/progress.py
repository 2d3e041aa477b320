"""The progress bar: one rich bar on stderr, phase by phase (reading, checking, rendering).

It appears only when the work has already taken a second (`KBTOOL_PROGRESS_DELAY`
seconds: tests set 0), only on a terminal, never with `--quiet`, and it
disappears when the command ends, so what is printed after it reads as if it
had never been there. Library functions take a plain `progress(done, total)`
callback; this module is the command line's one implementation of it.

The bar is drawn from the callback, at most `REDRAWS_PER_SECOND` times a second, not
from a refresh thread of rich's: a process with no other thread may fork (the check
runs its rules in a forked copy of itself on a large vault, `kbtool.lint.split`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

import click

ProgressCallback = Callable[[int, int], None]

_META = "kbtool.progress"
_QUIET = "kbtool.quiet"
DEFAULT_DELAY = 1.0
REDRAWS_PER_SECOND = 10


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get("KBTOOL_PROGRESS_DELAY", DEFAULT_DELAY)))
    except ValueError:
        return DEFAULT_DELAY


class PhaseProgress:
    """A bar that shows the current phase and how far it is."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._started = time.monotonic()
        self._delay = _delay()
        self._bar: Any = None
        self._task: Any = None
        self._phase = ""
        self._drawn = 0.0

    def phase(self, name: str) -> ProgressCallback:
        """The callback for one phase; its first call names the phase on the bar."""

        def update(done: int, total: int) -> None:
            if not self.enabled:
                return
            if self._bar is None:
                if time.monotonic() - self._started < self._delay:
                    return
                self._start()
            if self._phase != name:
                self._phase = name
                self._bar.update(self._task, description=name, total=total, completed=done)
                self._draw()  # a new phase shows at once, however short
            elif done == total or done % 64 == 0:
                self._bar.update(self._task, total=total, completed=done)
                if time.monotonic() - self._drawn >= 1 / REDRAWS_PER_SECOND:
                    self._draw()

        return update

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            transient=True,
            auto_refresh=False,  # no thread: see the module's doc
            console=Console(stderr=True),
        )
        self._task = self._bar.add_task("", total=None)
        self._bar.start()

    def _draw(self) -> None:
        self._bar.refresh()
        self._drawn = time.monotonic()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def set_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_QUIET] = True


def is_quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_QUIET))


def progress(phase: str) -> ProgressCallback:
    """The callback for `phase` of the running command's one bar (made on first use and
    closed when the command ends)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return PhaseProgress(enabled=False).phase(phase)
    bar: PhaseProgress | None = ctx.meta.get(_META)
    if bar is None:
        bar = PhaseProgress(enabled=sys.stderr.isatty() and not is_quiet())
        ctx.meta[_META] = bar
        ctx.find_root().call_on_close(bar.close)
    return bar.phase(phase)
