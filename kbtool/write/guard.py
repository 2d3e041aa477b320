"""Where a command may write: the checks made before any byte is written."""

from __future__ import annotations

import unicodedata
from pathlib import Path


def path_in_vault(output: Path, root: Path) -> str | None:
    """The vault-relative path (NFC) of an output file written into the vault, else None:
    `index -o VAULT/Index.md` leaves that note out of its own index."""
    try:
        rel = output.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    return unicodedata.normalize("NFC", rel.as_posix())
