"""The incremental check: after some notes changed, check those notes and the notes
whose links reach what changed about them, and reuse every other finding.

A check keeps, per note, what its findings depend on:

- the note's bytes (SHA-256) and its stamp as listed;
- its *interface*, what other notes' links read of it: its aliases, headings and
  block ids (a digest);
- the *keys* its links look names up by (the lower-cased link path and its last
  component), so that the notes reaching a changed interface are found;
- the findings of the rules of one note in it (`Rule.vault_input` is None), and for
  each vault-wide rule a digest of the note's input to it.

A later check with the same listing (the same note paths, attachments, skipped
entries and configuration) re-checks the changed notes and, when one's interface
changed, every note whose keys meet its names; a vault-wide rule runs again (over
every note) only when some re-checked note's input to it changed, else its findings
are kept. What each path reports is made again only where its findings changed.
Anything else (another listing, more than a quarter of the notes changed) is a full
check, which stores the state for the next one. The result is exactly a full
check's (tests compare them on random edits).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property

from kbtool.base.gcpause import paused_gc
from kbtool.lint.context import RuleContext
from kbtool.lint.engine import CheckResult, report
from kbtool.lint.registry import all_rules
from kbtool.lint.rulerun import Found, run_rules
from kbtool.lint.stored_state import RECORDS_PER_PIECE, CheckState, NoteRecord, StateWriter
from kbtool.model import Diagnostic, Note, Severity
from kbtool.vault.cache import FileStamp, racily_clean
from kbtool.vault.fingerprint import listing_digest
from kbtool.vault.lazy import LazyNotes
from kbtool.vault.load import Vault, VaultFiles
from kbtool.vault.resolve import ResolvedLink, note_aliases

#: The share of the notes above which a full check is cheaper than an incremental one.
MOST_CHANGED = 0.25


#: Bytes of each digest (of a note's interface, of its input to a rule).
DIGEST = 8


def _digest(value: object) -> bytes:
    text = repr(value).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=DIGEST).digest()


def _interface(note: Note, aliases: Sequence[str]) -> bytes:
    headings = [(h.level, h.text, h.parents) for h in note.headings]
    return _digest((tuple(aliases), headings, [b.id for b in note.block_ids]))


def _names(note: Note, aliases: Iterable[str]) -> set[str]:
    """The keys under which a link can reach the note: its name and its aliases."""
    names = {note.name.lower()}
    for alias in aliases:
        names.add(alias.lower())
        names.add(alias.lower().rsplit("/", 1)[-1])
    return names


def _keys(links: Sequence[ResolvedLink]) -> set[str]:
    keys: set[str] = set()
    for item in links:
        key = item.resolution.key.lower()
        keys.add(key)
        keys.add(key.rstrip("/").rsplit("/", 1)[-1])
    return keys


def _stamp(files: VaultFiles) -> dict[str, FileStamp | None]:
    return {rel: FileStamp.of(s) if s is not None else None for rel, _path, s in files.notes}


class _Run:
    """One check (full or incremental) of a listing, producing the next state."""

    def __init__(
        self,
        files: VaultFiles,
        notes: Mapping[str, Note],
        severities: dict[str, Severity],
    ) -> None:
        self.files = files
        self.severities = severities
        rules = self.rules = all_rules()
        self.codes = tuple(severities)
        self.vault_codes = tuple(c for c in self.codes if rules[c].vault_input is not None)
        self.note_codes = tuple(c for c in self.codes if rules[c].vault_input is None)
        self.inputs = [rules[c].vault_input for c in self.vault_codes]
        self.raw: dict[str, dict[str, object]] = {
            c: {} for c in self.vault_codes if rules[c].from_inputs is not None
        }
        self.notes = notes
        self.vocabulary: list[str] = []
        self.numbers: dict[str, int] = {}
        self.handed_over = 0  # of the vocabulary, to the state's writer

    @cached_property
    def stamps(self) -> dict[str, FileStamp | None]:
        """Each note's stamp as listed, by path (a full check reads the listing in order
        instead: the dict is some 5 MB at 100,000 notes)."""
        return _stamp(self.files)

    def key_numbers(self, keys: set[str]) -> tuple[int, ...]:
        """The keys as indices into the vocabulary (a key is stored once, not per note)."""
        numbers = self.numbers
        for key in keys:
            if key not in numbers:
                numbers[key] = len(self.vocabulary)
                self.vocabulary.append(key)
        return tuple(sorted(numbers[key] for key in keys))

    def hand_over(self, writer: StateWriter, batch: list[tuple[str, NoteRecord]]) -> None:
        """Store a batch of records with their inputs and the link keys they added, and
        forget the inputs (the records are the caller's to drop)."""
        raw = {code: list(values.items()) for code, values in self.raw.items()}
        for values in self.raw.values():
            values.clear()
        writer.records(batch, raw, self.vocabulary[self.handed_over :])
        self.handed_over = len(self.vocabulary)

    def forget_records(self) -> None:
        """Drop what making the records took (the vocabulary of link keys, the stamps by
        path): at 100,000 notes some 20 MB, held to the end of the check otherwise."""
        self.vocabulary, self.numbers = [], {}
        self.__dict__.pop("stamps", None)

    def adopt_vocabulary(self, vocabulary: list[str]) -> None:
        self.vocabulary = list(vocabulary)
        self.numbers = {key: i for i, key in enumerate(self.vocabulary)}

    def vault(self, aliases: dict[str, tuple[str, ...]] | None) -> Vault:
        files = self.files
        vault = Vault(
            files.root, files.config, self.notes, files.attachments, files.skipped, files.unreadable
        )
        if aliases is not None:  # the resolver, without reading every note for its aliases
            from kbtool.vault.resolve import Resolver

            settings = files.config
            vault.resolver = Resolver.build(
                self.notes,
                files.attachments,
                settings.settings.links,
                settings.new_link_format,
                aliases,
            )
        return vault

    def record(
        self, ctx: RuleContext, note: Note, local: Found, whole: bool, stamp: FileStamp | None
    ) -> NoteRecord:
        """What the next check needs to know of `note` (`whole`: every link is resolved),
        listed with `stamp`."""
        resolver = ctx.vault.resolver
        links = resolver.links_from(note.path) if whole else resolver.links_of(note)
        aliases = tuple(note_aliases(note))
        values = [
            vault_input(ctx, note, links) for vault_input in self.inputs if vault_input is not None
        ]
        for code, value in zip(self.vault_codes, values, strict=True):
            if code in self.raw:
                self.raw[code][note.path] = value
        inputs = b"".join(_digest(value) for value in values)
        return NoteRecord(
            bytes.fromhex(note.sha256),
            stamp or FileStamp(0, 0, 0, 0),
            aliases,
            _interface(note, aliases),
            self.key_numbers(_keys(links)),
            tuple(local),
            inputs,
            bool(note.suppressions),
        )

    def report(
        self,
        vault: Vault,
        by_path: dict[str, Found],
        suppressed: Iterable[str],
        notes: int,
        old: CheckState | None,
        redo: set[str],
    ) -> CheckResult:
        """The check's result from its findings by path (`_merged`): each path's report,
        made again for `redo` and wherever findings changed since `old`."""
        paths = by_path.keys() | set(suppressed)
        previous = _merged(_local_of(old.records), old.vault_found, old.codes) if old else {}
        reported = _by_path(old.result.diagnostics) if old is not None else {}
        diagnostics: list[Diagnostic] = []
        for path in sorted(paths):
            found = by_path.get(path, [])
            if old is not None and path not in redo and previous.get(path, []) == found:
                diagnostics += reported.get(path, [])  # the same findings, the same report
                continue
            diagnostics += report(vault, path, found, self.severities, self.rules)
        diagnostics.sort(key=Diagnostic.sort_key)
        return CheckResult(diagnostics, notes, len(self.files.attachments), self.codes)

    def state(
        self,
        vault: Vault,
        aliases: dict[str, tuple[str, ...]],
        records: dict[str, NoteRecord],
        vault_found: dict[str, Found],
        result: CheckResult,
    ) -> CheckState:
        files = self.files
        return CheckState(
            listing_digest(files),
            files.started_ns,
            self.codes,
            records,
            vault_found,
            self.raw,
            result,
            _digest(sorted(aliases.items())),
            vault.resolver.suggestions(),
            self.vocabulary,
        )


def _local_of(records: Mapping[str, NoteRecord]) -> dict[str, Found]:
    """The findings of the rules of one note, by note, as the records keep them."""
    return {rel: list(rec.local) for rel, rec in records.items() if rec.local}  # type: ignore[arg-type]


def _by_path(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    grouped: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        grouped.setdefault(d.path, []).append(d)
    return grouped


def _merged(
    local: dict[str, Found], vault_found: Mapping[str, Found], codes: Sequence[str]
) -> dict[str, Found]:
    """Every finding of a check by the path it is in, in rule order (`codes`): the vault-wide
    rules' findings added to `local` (the findings of the rules of one note, by note),
    which becomes the result (its lists are extended, not copied)."""
    order = {code: i for i, code in enumerate(codes)}
    for found in vault_found.values():
        for code, finding in found:
            local.setdefault(finding.path, []).append((code, finding))
    for found in local.values():
        found.sort(key=lambda cf: order[cf[0]])
    return local


def _by_code(found: dict[str, Found], codes: Sequence[str]) -> dict[str, Found]:
    by_code: dict[str, Found] = {code: [] for code in codes}
    for items in found.values():
        for code, finding in items:
            by_code[code].append((code, finding))
    return by_code


def full_check(
    files: VaultFiles,
    vault: Vault,
    severities: dict[str, Severity],
    today: dt.date,
    writer: StateWriter,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """The check of every note of `vault` (loaded from `files`), as `check()` makes it.
    The state for the next check goes to `writer` as it is made, a batch of records at a
    time, so that no more than a batch of them is held (the caller finishes it)."""
    from kbtool.lint.split import run_rules_split  # here: an incremental check needs no fork

    run = _Run(files, vault.notes, severities)
    ctx = RuleContext(vault, today)
    # in two processes when that pays, as `check()` runs them
    local = run_rules_split(ctx, severities, run.note_codes, progress)
    vault_found = _by_code(run_rules(ctx, severities, run.vault_codes), run.vault_codes)
    writer.begin(listing_digest(files), files.started_ns, run.codes)
    aliases: dict[str, tuple[str, ...]] = {}
    suppressed: list[str] = []
    batch: list[tuple[str, NoteRecord]] = []
    with paused_gc():  # many small objects, no cycles: collecting would only rescan the notes
        listed = iter(files.notes)
        for rel, note in vault.notes.items():
            entry = next(listed, None)  # in the listing's order, as loaded
            stamp = entry[2] if entry is not None and entry[0] == rel else run.stamps.get(rel)
            rec = run.record(ctx, note, local.get(rel, []), True, stamp)
            if rec.aliases:
                aliases[rel] = rec.aliases
            if rec.suppressions:
                suppressed.append(rel)
            batch.append((rel, rec))
            if len(batch) == RECORDS_PER_PIECE:
                run.hand_over(writer, batch)
                batch = []
        run.hand_over(writer, batch)
        del batch
        run.forget_records()  # the state is stored: what made it need not outlive it
        for rel in [rel for rel in local if rel not in vault.notes]:
            del local[rel]  # as a record keeps the findings of its note only
        by_path = _merged(local, vault_found, run.codes)
        result = run.report(vault, by_path, suppressed, len(vault.notes), None, set())
        del by_path, local
        suggestions = vault.resolver.suggestions()
        writer.end(vault_found, result, _digest(sorted(aliases.items())), suggestions)
        return result


def incremental_check(
    old: CheckState,
    files: VaultFiles,
    notes: LazyNotes,
    severities: dict[str, Severity],
    today: dt.date,
) -> CheckState | None:
    """The check of `files` from the state of an earlier one, reading what it needs of
    the notes from `notes` (a `LazyNotes` of `files`); None when a full check is
    due (another listing or rule set, too many notes changed, or a vault-wide rule's
    input changed: that rule must read every note, which a full check does faster)."""
    if old.listing != listing_digest(files) or old.codes != tuple(severities):
        return None
    run = _Run(files, notes, severities)
    run.raw = {code: dict(old.raw_inputs.get(code, {})) for code in run.raw}
    run.adopt_vocabulary(old.vocabulary)
    changed: list[str] = []
    records = dict(old.records)
    for rel, stamp in run.stamps.items():
        rec = records.get(rel)
        if rec is None or stamp is None:
            return None
        if rec.stamp == stamp and not racily_clean(stamp.mtime_ns, old.checked_ns):
            continue
        note = run.notes[rel]  # read and hashed (or trusted) through the parse cache
        if bytes.fromhex(note.sha256) == rec.sha256:
            records[rel] = rec._replace(stamp=stamp)
        else:
            changed.append(rel)
        if len(changed) > MOST_CHANGED * len(records):
            return None
    aliases = {rel: rec.aliases for rel, rec in records.items() if rec.aliases}
    for rel in changed:
        aliases[rel] = tuple(note_aliases(run.notes[rel]))
        if not aliases[rel]:
            del aliases[rel]
    reached: set[str] = set()
    for rel in changed:
        note = run.notes[rel]
        rec = records[rel]
        if _interface(note, aliases.get(rel, ())) != rec.interface:
            reached |= _names(note, rec.aliases) | _names(note, aliases.get(rel, ()))
    redo = set(changed)
    if reached:
        wanted = {run.numbers[key] for key in reached if key in run.numbers}
        redo |= {rel for rel, rec in records.items() if not wanted.isdisjoint(rec.keys)}
    vault = run.vault(aliases)
    if _digest(sorted(aliases.items())) == old.aliases:
        vault.resolver.adopt_suggestions(old.suggestions)
    subjects = [run.notes[rel] for rel in sorted(redo)]
    ctx = RuleContext(vault, today, subjects)
    local = run_rules(ctx, severities, run.note_codes)
    for note in subjects:
        stamp = run.stamps.get(note.path)
        records[note.path] = run.record(ctx, note, local.get(note.path, []), False, stamp)
    vault_found = dict(old.vault_found)
    for i, code in enumerate(run.vault_codes):
        at = slice(i * DIGEST, (i + 1) * DIGEST)
        if all(records[rel].inputs[at] == old.records[rel].inputs[at] for rel in redo):
            continue
        from_inputs = run.rules[code].from_inputs
        if from_inputs is None:
            return None
        made = from_inputs(RuleContext(vault, today), run.raw[code])
        vault_found[code] = [(code, finding) for finding in made]
    suppressed = [rel for rel, rec in records.items() if rec.suppressions]
    by_path = _merged(_local_of(records), vault_found, run.codes)
    result = run.report(vault, by_path, suppressed, len(records), old, redo)
    return run.state(vault, aliases, records, vault_found, result)
