"""Every rule's code, name and default severity, known without importing the rules.

Generated from the registry by `python -m kbtool.lint.registry`; do not edit.
"""

from typing import Final

RULES: Final[dict[str, tuple[str, str]]] = {
    "KB001": ("unreadable-file", "error"),
    "KB002": ("invalid-yaml", "error"),
    "KB003": ("frontmatter-not-mapping", "error"),
    "KB004": ("duplicate-key", "error"),
    "KB005": ("missing-frontmatter", "warning"),
    "KB006": ("unclosed-frontmatter", "error"),
    "KB101": ("missing-required-field", "error"),
    "KB102": ("wrong-type", "error"),
    "KB103": ("value-not-allowed", "error"),
    "KB104": ("unknown-field", "off"),
    "KB105": ("date-order", "warning"),
    "KB106": ("date-in-future", "warning"),
    "KB107": ("title-mismatch", "warning"),
    "KB108": ("type-tag-mismatch", "warning"),
    "KB109": ("invalid-tag", "error"),
    "KB110": ("inconsistent-property-type", "warning"),
    "KB111": ("invalid-review-interval", "error"),
    "KB201": ("broken-link", "error"),
    "KB202": ("ambiguous-link", "warning"),
    "KB203": ("missing-heading", "error"),
    "KB204": ("missing-block", "error"),
    "KB205": ("missing-attachment", "error"),
    "KB206": ("self-link", "off"),
    "KB207": ("embed-cycle", "warning"),
    "KB208": ("unwritten-note", "info"),
    "KB301": ("orphan-note", "warning"),
    "KB302": ("duplicate-name", "info"),
    "KB401": ("review-overdue", "off"),
    "KB901": ("unused-suppression", "warning"),
}
