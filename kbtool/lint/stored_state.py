"""The state an incremental check starts from, kept in the cache as a chain of pieces
(`kbtool.vault.pieces`), written while the check makes it and read back piece by piece.

Pickled as one value, the state of 100,000 notes cost some 110 MB while it was
pickled (the pickle, its memo, SQLite's copy of it), on top of every note's record,
held until then: a first check that filled the cache peaked 300 MB above one without
it. Here a check hands its records over `RECORDS_PER_PIECE` at a time; each batch is
pickled into a piece of its own, stored, and dropped. Each piece is checksummed and
listed by a head written last, after the check's result: a damaged, missing or
foreign piece makes the whole state a miss (the next check is a full one, which
stores it again), and a state is only ever read whole, never in part.

The pieces, in order: `begin` (the listing, when the check began, the rules run),
`records` (a batch of note records, their inputs to the vault-wide rules that keep
them, and the link keys the batch added to the vocabulary), then the vault-wide
rules' findings, the diagnostics and the did-you-mean hints in batches, and `end`,
which counts what came before.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from kbtool.lint.engine import CheckResult
from kbtool.lint.rulerun import Found
from kbtool.model import Diagnostic, new_tuple
from kbtool.vault.cache import FORMAT, FileStamp
from kbtool.vault.pieces import ChainStore, each_piece

#: Records in one piece (a generated note's record and inputs pickle to about 300 bytes).
RECORDS_PER_PIECE = 2000
#: Findings, diagnostics or hints in one piece.
ITEMS_PER_PIECE = 5000
#: Compressed bytes beyond which the state is not kept (the next check is then a full one).
MAX_STATE = 256 * 2**20


class NoteRecord(NamedTuple):
    sha256: bytes  # of its bytes (the digest, not its hex)
    stamp: FileStamp  # as listed when checked
    aliases: tuple[str, ...]
    interface: bytes  # digest of aliases, headings and block ids
    keys: tuple[int, ...]  # the lookup keys of its links, as indices into the vocabulary
    local: tuple[tuple[str, object], ...]  # (code, Finding) of the rules of one note
    inputs: bytes  # digest of its input to each vault-wide rule, DIGEST bytes each
    suppressions: bool  # whether it has any (its report is made even with no finding)


class CheckState(NamedTuple):
    """What the next check needs to be incremental; stored with the check's result."""

    listing: str
    checked_ns: int
    codes: tuple[str, ...]  # the rules run, in order
    records: dict[str, NoteRecord]
    vault_found: dict[str, Found]  # each vault-wide rule's findings
    raw_inputs: dict[str, dict[str, object]]  # by code, for rules that have `from_inputs`
    result: CheckResult
    aliases: bytes  # digest of every note's aliases
    suggestions: dict[str, str | None]  # "did you mean", by link path, for these names
    vocabulary: list[str]  # the link keys that records name by index


def _columns(records: Sequence[tuple[str, NoteRecord]]) -> tuple[list[Any], ...]:
    """A batch of records as lists of plain values, one per field (the stamp's four
    numbers each a list of their own): pickled as records, each a named tuple with a
    named tuple in it, 10,000 took 0.10 s to pickle and 0.11 s to unpickle, which a
    warm check of one edited note does once each; as columns, 0.03 and 0.04 s."""
    names = [rel for rel, _record in records]
    fields = [list(column) for column in zip(*(record for _rel, record in records), strict=True)]
    fields = fields or [[] for _field in NoteRecord._fields]
    stamps = [list(column) for column in zip(*fields[1], strict=True)] or [[], [], [], []]
    return (names, fields[0], *stamps, *fields[2:])


def _records(columns: Sequence[Any]) -> dict[str, NoteRecord] | None:
    """The records `_columns` made, or None for columns of another shape."""
    if len(columns) != len(NoteRecord._fields) + 4:
        return None
    names, sha256s, sizes, mtimes, inodes, ctimes, *rest = columns
    if not all(isinstance(column, list) and len(column) == len(names) for column in columns):
        return None
    if not all(isinstance(rel, str) for rel in names):
        return None
    numbers = zip(sizes, mtimes, inodes, ctimes, strict=True)
    stamps = [new_tuple(FileStamp, stamp) for stamp in numbers]
    fields = zip(sha256s, stamps, *rest, strict=True)
    return dict(zip(names, (new_tuple(NoteRecord, values) for values in fields), strict=True))


def _batches(items: Sequence[object], size: int) -> Iterable[Sequence[object]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class StateWriter:
    """Stores a check's state as it is made: `begin`, `records` for each batch, `end`;
    then `finish` makes it the stored state, or `abandon` drops it."""

    def __init__(self, path: Path, kind: str, checked_ns: int) -> None:
        self._store = ChainStore(path, kind, FORMAT, checked_ns, {}, MAX_STATE)
        self._records = 0
        self._words = 0

    def _put(self, piece: tuple[object, ...]) -> None:
        if self._store.storing:
            self._store.add_piece(pickle.dumps(piece, protocol=pickle.HIGHEST_PROTOCOL))

    def begin(self, listing: str, checked_ns: int, codes: tuple[str, ...]) -> None:
        self._put(("begin", listing, checked_ns, codes))

    def records(
        self,
        records: Sequence[tuple[str, NoteRecord]],
        raw: Mapping[str, Sequence[tuple[str, object]]],
        words: Sequence[str],
    ) -> None:
        """A batch of records, their notes' inputs to the rules in `raw`, and the link keys
        added to the vocabulary since the last batch."""
        raw_lists = {c: list(v) for c, v in raw.items()}
        self._put(("records", *_columns(records), raw_lists, list(words)))
        self._records += len(records)
        self._words += len(words)

    def end(
        self,
        vault_found: Mapping[str, Found],
        result: CheckResult,
        aliases: bytes,
        suggestions: Mapping[str, str | None],
    ) -> None:
        for code, found in vault_found.items():
            for batch in list(_batches(found, ITEMS_PER_PIECE)) or [[]]:  # a rule with none too
                self._put(("found", code, list(batch)))
        for batch in _batches(result.diagnostics, ITEMS_PER_PIECE):
            self._put(("diagnostics", list(batch)))
        for batch in _batches(list(suggestions.items()), ITEMS_PER_PIECE):
            self._put(("suggestions", list(batch)))
        counts = (self._records, self._words, len(result.diagnostics), len(suggestions))
        self._put(("end", result.notes, result.attachments, result.rules_run, aliases, counts))

    def finish(self) -> None:
        self._store.finish()

    def abandon(self) -> None:
        self._store.abandon()


def write_state(writer: StateWriter, state: CheckState) -> None:
    """Store a state made whole (by an incremental check), in batches as a full check
    stores its own."""
    writer.begin(state.listing, state.checked_ns, state.codes)
    records = list(state.records.items())
    for start in range(0, max(len(records), 1), RECORDS_PER_PIECE):
        batch = records[start : start + RECORDS_PER_PIECE]
        raw = {
            code: [(rel, values[rel]) for rel, _rec in batch if rel in values]
            for code, values in state.raw_inputs.items()
        }
        words = state.vocabulary if start == 0 else []
        writer.records(batch, raw, words)
    writer.end(state.vault_found, state.result, state.aliases, state.suggestions)
    writer.finish()


class _Reader:
    """The state being put back together from its pieces, in the order written."""

    def __init__(self) -> None:
        self.begun: tuple[str, int, tuple[str, ...]] | None = None
        self.records: dict[str, NoteRecord] = {}
        self.raw: dict[str, dict[str, object]] = {}
        self.vocabulary: list[str] = []
        self.vault_found: dict[str, Found] = {}
        self.diagnostics: list[Diagnostic] = []
        self.suggestions: dict[str, str | None] = {}
        self.state: CheckState | None = None

    def take(self, data: bytes) -> bool:
        """Whether the piece is sound and in its place (any surprise is a miss)."""
        if self.state is not None:
            return False
        try:
            piece = pickle.loads(data)
            return self._take(piece)
        except Exception:  # a foreign or damaged piece is a miss, never a crash
            return False

    def _take(self, piece: Any) -> bool:
        tag = piece[0]
        if tag == "begin":
            listing, checked_ns, codes = piece[1:]
            if self.begun is not None or not isinstance(listing, str):
                return False
            if not isinstance(checked_ns, int) or not isinstance(codes, tuple):
                return False
            self.begun = (listing, checked_ns, codes)
            return True
        if self.begun is None:
            return False
        if tag == "records":
            *columns, raw, words = piece[1:]
            records = _records(columns)
            if records is None:
                return False
            self.records.update(records)
            for code, values in raw.items():
                self.raw.setdefault(code, {}).update(values)
            self.vocabulary += words
            return True
        if tag == "found":
            code, found = piece[1:]
            self.vault_found.setdefault(code, []).extend(found)
            return True
        if tag == "diagnostics":
            (diagnostics,) = piece[1:]
            if not all(isinstance(d, Diagnostic) for d in diagnostics):
                return False
            self.diagnostics += diagnostics
            return True
        if tag == "suggestions":
            (items,) = piece[1:]
            self.suggestions.update(items)
            return True
        if tag == "end":
            return self._end(*piece[1:])
        return False

    def _end(
        self,
        notes: int,
        attachments: int,
        rules_run: tuple[str, ...],
        aliases: bytes,
        counts: tuple[int, int, int, int],
    ) -> bool:
        found = (len(self.records), len(self.vocabulary), len(self.diagnostics))
        if (*found, len(self.suggestions)) != tuple(counts) or self.begun is None:
            return False
        if not isinstance(aliases, bytes):
            return False
        listing, checked_ns, codes = self.begun
        result = CheckResult(self.diagnostics, notes, attachments, rules_run)
        self.state = CheckState(
            listing,
            checked_ns,
            codes,
            self.records,
            self.vault_found,
            self.raw,
            result,
            aliases,
            self.suggestions,
            self.vocabulary,
        )
        return True


def read_state(path: Path, kind: str) -> CheckState | None:
    """The state stored for `kind` when it and every piece of it are whole; else None."""
    reader = _Reader()
    if not each_piece(path, kind, FORMAT, reader.take):
        return None
    return reader.state
