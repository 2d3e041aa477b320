"""The body scanner: one pass over a note body that finds links, headings, block ids,
tags and suppression comments, with their file positions.

Why not markdown-it-py: a full parse costs 1-4 ms a note, and checking needs only
to know where code, math, comments and raw HTML are, so that nothing inside them
counts. This package follows CommonMark's block algorithm (the commonmark.js one:
match the open containers, try block starts, else lazy continuation) line by line,
as far as it decides where code, HTML blocks and headings are; Obsidian's `$$` math
blocks and `%%` comments are added to it. Regexes then run only over the text of
paragraphs, headings and table rows. tests/test_scan_agreement.py holds it against
markdown-it-py.

The scanner is one class, `_Scanner`, built in layers, one module each, each layer
using only the ones below it: `state` (what one pass holds), `positions` (file
positions of inline text), `links`, `inline` (the inline pass), `leaves` (closing
leaf blocks), `comments` (`%%` comments over several lines), `blockstarts`, and
`scanner` (the line pass). The grammar they share is in plain modules: `blockgrammar`,
`containers`, `tables`, `codespans`, `escapes`, `mdlinks`, `suppress`. Only the
names below are the API.
"""

from kbtool.notes.scan.api import BodyScan, Region, scan_body, scan_regions, table_lines
from kbtool.notes.scan.state import RegionKind

__all__ = ["BodyScan", "Region", "RegionKind", "scan_body", "scan_regions", "table_lines"]
