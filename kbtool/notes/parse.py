"""Turn one file's bytes into a `Note`: decode, frontmatter, body scan. No I/O here."""

from __future__ import annotations

import hashlib

from kbtool import codes
from kbtool.model import Frontmatter, Note, Problem, Span
from kbtool.notes.frontmatter import scan_frontmatter
from kbtool.notes.lines import split_lines
from kbtool.notes.scan import scan_body


def _unreadable(path: str, data: bytes, mtime_ns: int, problem: Problem) -> Note:
    digest = hashlib.sha256(data).hexdigest()
    return Note(path, len(data), mtime_ns, digest, Frontmatter(), 1, problems=(problem,))


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (code points) of a byte offset, decoding what precedes it."""
    before = data[:offset].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return line, column


def parse_note(path: str, data: bytes, mtime_ns: int = 0) -> Note:
    """Parse a Markdown file's bytes. Bad bytes become a KB001 problem, never an exception."""
    if b"\x00" in data[:8192]:
        line, col = _position_of_byte(data, data.index(b"\x00"))
        problem = Problem(
            codes.UNREADABLE_FILE,
            "binary content (NUL byte): not a text note",
            Span(line, col, line, col),
        )
        return _unreadable(path, data, mtime_ns, problem)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position_of_byte(data, exc.start)
        problem = Problem(
            codes.UNREADABLE_FILE,
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            Span(line, col, line, col),
        )
        return _unreadable(path, data, mtime_ns, problem)
    digest = hashlib.sha256(data).hexdigest()
    lines = split_lines(text)
    fm = scan_frontmatter(lines)
    body = "\n".join(lines[fm.body_start :])
    scan = scan_body(body, fm.body_start + 1)
    return Note(
        path=path,
        size=len(data),
        mtime_ns=mtime_ns,
        sha256=digest,
        frontmatter=fm.frontmatter,
        body_line=fm.body_start + 1,
        headings=scan.headings,
        block_ids=scan.block_ids,
        tags=scan.tags,
        links=fm.links + scan.links,
        suppressions=fm.suppressions + scan.suppressions,
        problems=fm.problems,
    )
