"""Whether to colour text output: one decision for every command.

`NO_COLOR` (no-color.org) turns colour off and `FORCE_COLOR` (force-color.org)
on, whatever the output is; otherwise colour goes only to a terminal that is
not `TERM=dumb`. The escapes themselves come from click (`click.style`) or
rich, never written by hand.
"""

from __future__ import annotations

import os
from typing import IO, Any


def use_colour(stream: IO[Any]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
