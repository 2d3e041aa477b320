"""What a vault's `.obsidian/` folder already says: templates folder, attachments, link
format and property types, so that `kbtool.toml` need not repeat it.

The files are Obsidian's, not kbtool's: one that is missing, too large, not a
regular file, not UTF-8, not JSON, nested too deep or of an unexpected shape is
ignored with a notice (shown in verbose output), never an error. Each read is
capped at `MAX_SETTINGS_BYTES` and made by `kbtool.base.fileread` (no blocking, regular
files only), as notes are, so a FIFO or a huge file in `.obsidian/` cannot hang or
exhaust a run.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kbtool.base.fileread import NotReadable, read_regular

OBSIDIAN_DIR = ".obsidian"
TEMPLATER_DATA = "plugins/templater-obsidian/data.json"
#: Obsidian writes these files in a few kilobytes; a larger one is not a settings file.
MAX_SETTINGS_BYTES = 1 << 20

LinkFormat = Literal["shortest", "relative", "absolute"]
LINK_FORMATS: tuple[LinkFormat, ...] = ("shortest", "relative", "absolute")

#: Obsidian's property types (`types.json`) as kbtool's schema kinds. A date fits a
#: "date & time" property (Obsidian shows it at midnight); a time does not fit a date.
OBSIDIAN_TYPE_KINDS = {
    "text": "text",
    "multitext": "list",
    "tags": "list",
    "aliases": "list",
    "number": "number",
    "checkbox": "checkbox",
    "date": "date",
    "datetime": "date-or-datetime",
}


@dataclass(frozen=True)
class ObsidianSettings:
    """The settings found in `.obsidian/`, each with the file it came from.

    `templates_folder` and `attachment_folder` are vault-relative folder paths
    without leading or trailing `/` (None when not set); `property_types` maps a
    property name to kbtool's kind for it. `notices` say what was read and what
    was ignored, one line each, for verbose output.
    """

    templates_folder: str | None = None
    templates_source: str = ""
    attachment_folder: str | None = None
    new_link_format: LinkFormat | None = None
    property_types: dict[str, str] = field(default_factory=dict)
    notices: tuple[str, ...] = ()


def _read_json(base: Path, name: str, notices: list[str]) -> Any:
    """The JSON value in `base/name`, or None (with a notice) when it cannot be used."""
    path, shown = base / name, f"{OBSIDIAN_DIR}/{name}"
    try:
        real = Path(os.path.realpath(path))  # Obsidian's files: links are followed anywhere
        data, _ = read_regular(real, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        return None
    except NotReadable as exc:
        notices.append(f"ignored {shown}: {exc.reason}")
        return None
    except OSError as exc:
        notices.append(f"ignored {shown}: cannot read ({exc.strerror})")
        return None
    import json  # only for a vault with `.obsidian/` files to read

    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        notices.append(f"ignored {shown}: not UTF-8")
    except RecursionError:
        notices.append(f"ignored {shown}: nested too deeply")
    except ValueError as exc:  # JSONDecodeError, and ints too long to convert
        notices.append(f"ignored {shown}: not valid JSON ({str(exc).splitlines()[0]})")
    return None


def _folder(value: Any) -> str | None:
    """A folder setting as a vault-relative path; None when unset or not a folder path."""
    if not isinstance(value, str):
        return None
    cleaned = unicodedata.normalize("NFC", value.replace("\\", "/").strip().strip("/"))
    parts = cleaned.split("/")
    if not cleaned or any(p in ("", ".", "..") for p in parts):
        return None
    if any(unicodedata.category(c) == "Cc" for c in cleaned):  # NUL, newlines: no folder
        return None
    return cleaned


def _properties(count: int) -> str:
    return f"{count} propert{'y' if count == 1 else 'ies'}"


def _attachment_folder(reader: _Reader, value: Any) -> str | None:
    """`attachmentFolderPath`: None for the vault root, `./sub` (under each note's own
    folder) kept as written, else a vault folder."""
    if value in (None, "", "/"):
        return None
    if isinstance(value, str) and value.startswith("./"):
        rest = _folder(value[2:]) if value.strip("./") else ""
        if rest is not None:
            return "./" + rest
    elif _folder(value) is not None:
        return _folder(value)
    reader.notices.append(f"ignored 'attachmentFolderPath' in {OBSIDIAN_DIR}/app.json: {value!r}")
    return None


class _Reader:
    """Reads one vault's `.obsidian/` files, collecting notices as it goes."""

    def __init__(self, root: Path) -> None:
        self.base = root / OBSIDIAN_DIR
        self.notices: list[str] = []

    def mapping(self, name: str) -> dict[str, Any]:
        value = _read_json(self.base, name, self.notices)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.notices.append(f"ignored {OBSIDIAN_DIR}/{name}: not a JSON object")
            return {}
        return value

    def folder(self, name: str, data: dict[str, Any], key: str) -> str | None:
        """`data[key]` as a folder path, with a notice when it is set but unusable."""
        if key not in data or data[key] in ("", "/", None):
            return None
        found = _folder(data[key])
        if found is None:
            self.notices.append(f"ignored '{key}' in {OBSIDIAN_DIR}/{name}: {data[key]!r}")
        return found

    def property_types(self) -> dict[str, str]:
        types = self.mapping("types.json").get("types", {})
        if not isinstance(types, dict):
            self.notices.append(f"ignored 'types' in {OBSIDIAN_DIR}/types.json: not an object")
            return {}
        kinds: dict[str, str] = {}
        unknown: list[str] = []
        for key, obsidian_type in types.items():
            known = isinstance(obsidian_type, str)
            kind = OBSIDIAN_TYPE_KINDS.get(obsidian_type) if known else None
            if kind is None:
                unknown.append(key)
            else:
                kinds[key] = kind
        if unknown:
            listed = ", ".join(repr(k) for k in unknown[:5]) + (", ..." if len(unknown) > 5 else "")
            self.notices.append(
                f"ignored the type of {_properties(len(unknown))}"
                f" in {OBSIDIAN_DIR}/types.json that Obsidian does not define: {listed}"
            )
        return kinds


def read_obsidian_settings(root: Path) -> ObsidianSettings:
    """The settings of the vault at `root` that kbtool uses; empty when there is no
    `.obsidian/` folder. The core Templates plugin's folder wins over Templater's."""
    reader = _Reader(root)
    if not reader.base.is_dir():
        return ObsidianSettings()
    templates, source = None, ""
    for name, key in (("templates.json", "folder"), (TEMPLATER_DATA, "templates_folder")):
        templates = reader.folder(name, reader.mapping(name), key)
        if templates is not None:
            source = f"{OBSIDIAN_DIR}/{name}"
            break
    app = reader.mapping("app.json")
    link_format = app.get("newLinkFormat")
    if link_format is not None and link_format not in LINK_FORMATS:
        shown = f"{OBSIDIAN_DIR}/app.json: {link_format!r}"
        reader.notices.append(f"ignored 'newLinkFormat' in {shown}")
        link_format = None
    attachments = _attachment_folder(reader, app.get("attachmentFolderPath"))
    types = reader.property_types()
    read = [f"attachment folder '{attachments}'"] if attachments else []
    read += [f"new link format '{link_format}'"] if link_format else []
    if read:
        reader.notices.append(f"read {OBSIDIAN_DIR}/app.json: {', '.join(read)}")
    if types:
        reader.notices.append(
            f"read {OBSIDIAN_DIR}/types.json: the types of {_properties(len(types))}"
        )
    return ObsidianSettings(
        templates, source, attachments, link_format, types, tuple(reader.notices)
    )
