"""One base for every error kbtool raises on purpose, so that library users catch one class.

Each layer's error (a vault that cannot be loaded, a bad kbtool.toml, a write
refused, a note not found, ...) derives from `KbtoolError`, and keeps its
standard base (`ValueError`, `OSError`, `LookupError`) where it has one.
"""


class KbtoolError(Exception):
    """A problem kbtool reports as one line (the CLI: `kbtool: error: ...`, exit 2)."""
