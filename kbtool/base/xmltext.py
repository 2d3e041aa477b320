"""Text that XML 1.0 can hold: a title or a file name may contain any character.

XML 1.0 allows only tab, line feed, carriage return and the characters from
U+0020 up, less the surrogates and U+FFFE/U+FFFF. Anything else (a control
character, a lone surrogate from a file name that is not UTF-8) cannot be
written even as a character reference, so a writer that passes it through
produces a document no parser reads. Each such character becomes U+FFFD,
the replacement character, so the reader still sees that one was there.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _ILLEGAL.sub(REPLACEMENT, text)
