"""The codes that the layers below the checker emit, by rule name.

The parser, the frontmatter reader, the YAML value builder, the loader and the
schema pass record problems before any rule runs, and the engine reports unused
suppressions itself; none of them may import the rules (that would be an
upward import). They name a code through this table, which imports nothing;
the registry refuses to start when a rule declared in `kbtool/lint/rules/`
disagrees with it, so a code is still written once as data.
"""

from __future__ import annotations

from typing import Final

UNREADABLE_FILE: Final = "KB001"
INVALID_YAML: Final = "KB002"
FRONTMATTER_NOT_MAPPING: Final = "KB003"
DUPLICATE_KEY: Final = "KB004"
UNCLOSED_FRONTMATTER: Final = "KB006"
MISSING_REQUIRED_FIELD: Final = "KB101"
WRONG_TYPE: Final = "KB102"
VALUE_NOT_ALLOWED: Final = "KB103"
UNKNOWN_FIELD: Final = "KB104"
UNUSED_SUPPRESSION: Final = "KB901"

#: Rule name -> code, for the registry's check that the two agree.
BY_NAME: Final[dict[str, str]] = {
    "unreadable-file": UNREADABLE_FILE,
    "invalid-yaml": INVALID_YAML,
    "frontmatter-not-mapping": FRONTMATTER_NOT_MAPPING,
    "duplicate-key": DUPLICATE_KEY,
    "unclosed-frontmatter": UNCLOSED_FRONTMATTER,
    "missing-required-field": MISSING_REQUIRED_FIELD,
    "wrong-type": WRONG_TYPE,
    "value-not-allowed": VALUE_NOT_ALLOWED,
    "unknown-field": UNKNOWN_FIELD,
    "unused-suppression": UNUSED_SUPPRESSION,
}
