"""The vault's name, as the review calendar and the e-mail digest show it.

`name` in kbtool.toml when set, else the vault folder's name. It is also the
vault's part of every calendar UID, which must not change from one machine
to the next: an absolute path would (`/home/ann/notes` on one laptop,
`/Users/ann/notes` on another), a folder name does only when the vault is
cloned under another name, and a configured name never does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbtool.vault.load import Vault


def vault_name(vault: Vault) -> str:
    """The configured `name`, else the folder's name."""
    configured = vault.config.settings.name
    return configured.strip() if configured and configured.strip() else vault.root.name
