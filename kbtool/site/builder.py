"""`build_site`: every page of the site from a loaded vault, into a checked output folder.

Order: claim a URL for every note and for every attachment a note links or
embeds (nothing else of the vault is copied); read each note's text once;
render each note; then the tag, folder, home, search and 404 pages, the
search index, the assets; finally the manifest, and the removal of what
the last build wrote and this one did not.

A build into the folder of an earlier one renders only the pages whose
inputs changed (`incremental`): a note's body is rendered again when a note
it shows or a link it resolves changed, and any page when what it shows
changed; everything else is kept as the last build wrote it.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import posixpath
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from kbtool.base.cores import a_core_is_idle, usable_cores
from kbtool.base.gcpause import paused_gc
from kbtool.base.version import __version__
from kbtool.lint.warm import cached_check
from kbtool.model import Diagnostic, Note
from kbtool.notes.properties import note_tags
from kbtool.review.schedule import ReviewPolicy, scheduled
from kbtool.site.feeds import FEED_ENTRIES, Entry, is_absolute, recent_notes, rfc3339
from kbtool.site.incremental import (
    BuildState,
    Deps,
    Inputs,
    NoteState,
    Reach,
    RowsLost,
    digest,
    json_bytes,
)
from kbtool.site.output import SiteOutput
from kbtool.site.pages import (
    Crumb,
    TagNode,
    backlinks,
    breadcrumbs,
    outgoing,
    property_values,
    quotes,
    tag_page_path,
    tag_tree,
)
from kbtool.site.render.code import pygments_css
from kbtool.site.render.links import SiteLinks
from kbtool.site.render.note import NoteRenderer
from kbtool.site.review_page import CHART_HEIGHT, CHART_WIDTH, chart, weekly_counts
from kbtool.site.search import (
    DOCS_PER_SHARD,
    Change,
    SearchIndex,
    entry,
    html_text,
    patch_shards,
    shard_key,
)
from kbtool.site.source import NoteTexts
from kbtool.site.urls import UrlMap
from kbtool.vault.load import Vault, VaultFiles, load_files, scan_vault
from kbtool.vault.resolve import Resolver, is_note, note_aliases

#: Every page's policy: nothing inline, nothing from elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; object-src 'self'; frame-src 'self'; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'"
)
LINK_CODES = ("KB2",)  # what `check` reports about links: KB201 to KB207
HIDDEN_PROPERTIES = frozenset({"title", "tags", "aliases"})
RECENT = 15
OVERRIDES = ".kbtool"  # in the vault: templates/ and site.css that replace or extend ours
MAX_BACKLINKS = 100  # on a note page (a hub with 500 backlinks would make a 140 KB page)
PAGE_SIZE = 250  # entries of a listing per page: about 40 KB of HTML
PARALLEL_NOTES = 1000  # notes to render from which worker processes share the work


@dataclass
class BuildResult:
    """What a build did: pages and files written, link findings, notes it could not read."""

    output: Path
    pages: int = 0  # every page of the site: rendered now or kept from the last build
    attachments: int = 0
    rendered: list[str] = field(default_factory=list)  # the pages rendered by this build
    resolved: list[str] = field(default_factory=list)  # the notes whose links it resolved
    indexed: int = 0  # the search entries the index was made from (only new ones: patched)
    listed: int = 0  # the listing pages made (and compared with the last build's)
    made: list[str] = field(default_factory=list)  # of "graph", "review": made, not kept
    state: BuildState = field(default_factory=BuildState)  # for the next build
    workers: int = 1  # processes that rendered the notes
    findings: list[Diagnostic] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "path: why"

    @property
    def errors(self) -> int:
        return sum(1 for d in self.findings if d.severity == "error")

    @property
    def reused(self) -> int:
        """Pages kept as the last build wrote them (their inputs did not change)."""
        return self.pages - len(self.rendered)


def _environment(overrides: Path | None = None) -> jinja2.Environment:
    """Templates with autoescape on for every value: a note's title is text, never markup.
    A template of the same name in `overrides` (the vault's `.kbtool/templates/`) wins."""
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("kbtool.site", "templates")]
    if overrides is not None and overrides.is_dir():
        loaders.insert(0, jinja2.FileSystemLoader(overrides, followlinks=False))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _templates_digest(overrides: Path) -> str:
    """The bytes of every template, built-in and the vault's: another template, another
    site (a full build)."""
    parts: list[object] = []
    for item in sorted(resources.files("kbtool.site").joinpath("templates").iterdir(), key=str):
        parts += [item.name, item.read_bytes()]
    if overrides.is_dir():
        for path in sorted(overrides.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(overrides).as_posix(), path.read_bytes()]
    return digest(*parts)


def _asset(name: str) -> bytes:
    return resources.files("kbtool.site").joinpath("static", name).read_bytes()


def reach_of(note: Note, notes: Mapping[str, Note], resolver: Resolver, texts: NoteTexts) -> Reach:
    """What the links of `note` reach: notes, attachments, embedded notes, and the lines
    the notes it links to quote among their backlinks."""
    links = resolver.links_of(note)
    targets = [(item.target, item.link.kind) for item in links if item.target is not None]
    return Reach(
        frozenset(t for t, _kind in targets if t in notes),
        tuple(sorted({t for t, _kind in targets if not is_note(t)})),
        frozenset(t for t, kind in targets if kind == "embed" and t in notes),
        {t: q for t, q in quotes(note, links, texts).items() if t in notes},
    )


def _inside(root: Path, path: Path) -> bool:
    """True when `path`, all symlinks followed, is still inside the vault."""
    try:
        return path.resolve(strict=True).is_relative_to(root.resolve())
    except OSError:
        return False


def worker_count(wanted: int | None, to_render: int, idle: float | None = None) -> int:
    """How many processes render the notes: `wanted`, or (None) every core this process may
    use once there are `PARALLEL_NOTES` notes to render (below that, starting workers
    costs more than they save) and a core is idle (`idle`: the idle cores, sampled when
    None, see `kbtool.base.cores`; on a busy machine a second process only waits for a
    core, and the build takes longer)."""
    if wanted is not None:
        return max(1, wanted)
    if to_render < PARALLEL_NOTES:
        return 1
    cores = usable_cores()
    return cores if cores > 1 and a_core_is_idle(idle) else 1


#: A note's search document, and its words' scores (or the last build's state holding them).
SearchEntry = tuple[list[str], dict[str, int] | NoteState]
#: A note indexed anew: its number, its words' scores in the last build (None: not kept), now.
Reindexed = tuple[int, dict[str, int] | None, dict[str, int]]


@dataclass
class _Job:
    """What every note's rendering shares (and a forked worker inherits)."""

    renderer: NoteRenderer
    links: SiteLinks
    policy: ReviewPolicy
    changed: set[str]
    same_names: bool
    unsettled: set[str] | None
    links_to: dict[str, frozenset[str]]
    linkers: dict[str, list[str]]  # note -> the notes linking to it, in vault order


@dataclass
class _Part:
    """What a worker process rendered and wrote, for the parent to merge."""

    entries: list[SearchEntry]
    notes: dict[str, NoteState]
    pages: dict[str, str]
    digests: dict[str, str]
    written: set[str]
    rendered: list[str]
    count: int
    touched: set[str] | None
    failed: dict[str, str]
    excerpts: dict[str, str]
    reindexed: list[Reindexed]


_FORKED: _Builder | None = None  # the builder a forked worker renders for


def _render_chunk(numbered: list[tuple[int, str]]) -> _Part:
    """In a worker: render the notes `numbered` and report what was done."""
    assert _FORKED is not None
    _FORKED._collect()
    return _FORKED._part(_FORKED._render_notes(numbered))


class _Builder:
    def __init__(
        self,
        vault: Vault,
        out: SiteOutput,
        base_url: str,
        today: dt.date,
        live: bool,
        workers: int | None = None,
    ) -> None:
        self.workers = workers
        self.vault = vault
        self.out = out
        self.today = today
        self.urls = UrlMap(base_url)
        self.notes = vault.notes
        templates = vault.root / OVERRIDES / "templates"
        self.env = _environment(templates)
        self.xml = _environment()  # the same escaping is right for XML text and attributes
        config = vault.config.settings.site
        self.site = {
            "title": config.title if config.title and config.title.strip() else vault.root.name,
            "base": self.urls.base_url,
            "csp": CSP,
            "lang": config.lang,
            "version": __version__,
            "live": live,  # under `kbtool serve`: pages load the live-reload script
        }
        self.raw_html = config.raw_html != "escape"
        self.allow_html = frozenset(config.allow_html)
        self.key = digest(
            __version__,
            self.site,
            self.raw_html,
            sorted(self.allow_html),
            today,
            vault.config.settings,
            vault.config.obsidian,
            _templates_digest(templates),
            MAX_BACKLINKS,
            PAGE_SIZE,
        )
        self.state = BuildState(self.key)
        self.prev = out.state if out.state.key == self.key else BuildState()
        self.result = BuildResult(out.folder)
        self.texts = NoteTexts(vault.root, vault.notes)  # read when first needed
        self.excerpts: dict[str, str] = {}  # the start of each note's text, for the feed
        self.folder_pages: dict[str, str] = {}  # vault folder -> its page
        self.tag_paths: dict[str, str] = {}  # lower-cased tag -> its page
        self.touched_shards: set[str] | None = None  # None: every search shard is written
        self.listed: list[tuple[str, str, bool]] = []  # listing pages made: path, key, claimed
        self.reindexed: list[Reindexed] = []  # the entries made anew, when shards are patched
        self.same_notes = False  # the last build's notes, in its order, under its URLs

    def run(self) -> BuildResult:
        for path in self.notes:
            self.urls.add_note(path)
        self.aliases = {p: note_aliases(n) for p, n in self.notes.items()}
        self.titles = {p: n.title for p, n in self.notes.items()}  # listings show each often
        self.tags = {p: note_tags(n) for p, n in self.notes.items()}
        self.state.names = digest(tuple(self.notes), self.vault.attachments, self.aliases)
        self.reach = self._reach()
        self.texts.forget_lines()
        linked = sorted({a for reach in self.reach.values() for a in reach.attachments})
        attachments = [a for a in linked if _inside(self.vault.root, self.vault.root / a)]
        for path in attachments:
            self.urls.add_attachment(path)
        self._claim_folders()
        links = SiteLinks(self.vault, self.urls)
        renderer = NoteRenderer(
            self.texts, self.notes, links, raw_html=self.raw_html, allow_html=self.allow_html
        )
        renderer.keep_parsed = {e for reach in self.reach.values() for e in reach.embeds}
        tags = tag_tree(self.tags)
        self._tag_urls(tags)
        policy = ReviewPolicy.from_config(self.vault.config)
        entries = self._note_pages(renderer, links, policy)
        for rel, text in self._search_files(entries).items():
            self.out.write_text(rel, text)
        del entries  # every note's search words: a cold build need not hold them further
        self._listings(tags)
        self._home(tags)
        self._review_page()
        self._graph()
        self._feed()
        self._sitemap()
        self._page("search.html", "search.html", page={})
        self._page("404.html", "404.html", page={})
        self._assets()
        for path in attachments:
            self.out.copy(self.urls.output_path(path) or path, self.vault.root / path)
            self.result.attachments += 1
        self.result.failed = [f"{p}: {why}" for p, why in self.texts.failed.items()]
        return self.result

    # -- notes ---------------------------------------------------------------

    def _reach(self) -> dict[str, Reach]:
        """What each note's links reach. With the vault's names as the last build saw
        them, an unchanged note's links reach what they reached then: only the links of
        the notes that changed are resolved."""
        prev = self.prev
        same_names = prev.names == self.state.names
        resolver = self.vault.resolver
        found: dict[str, Reach] = {}
        for path, note in self.notes.items():
            old = prev.notes.get(path) if same_names else None
            if old is not None and prev.shas.get(path) == note.sha256:
                found[path] = old.reach
            else:
                found[path] = reach_of(note, self.notes, resolver, self.texts)
                self.result.resolved.append(path)
        return found

    def _note_pages(
        self, renderer: NoteRenderer, links: SiteLinks, policy: ReviewPolicy
    ) -> list[SearchEntry]:
        """Every note's page and search entry. A body is rendered only when its inputs
        changed since the last build (or its page must be rendered again); what a page
        shows besides its body is looked at only when a note it shows changed. Many notes
        to render are shared among worker processes (`workers`)."""
        prev = self.prev
        universe = digest(self.state.names, self.urls.claimed())
        same_names = prev.universe == universe
        self.state.universe = universe
        self.state.shas = {p: n.sha256 for p, n in self.notes.items()}
        changed = {p for p, sha in self.state.shas.items() if prev.shas.get(p) != sha}
        changed |= prev.shas.keys() - self.state.shas.keys()
        links_to = {path: reach.notes for path, reach in self.reach.items()}
        linkers: dict[str, list[str]] = {}
        for path, targets in links_to.items():
            for target in targets:
                linkers.setdefault(target, []).append(path)
        self.same_notes = same_names and list(prev.shas) == list(self.state.shas)
        if list(prev.shas) == list(self.state.shas):  # same notes, same numbers: patch shards
            self.touched_shards = set()
        self.job = _Job(
            renderer,
            links,
            policy,
            changed,
            same_names,
            self._unsettled(changed, links_to, linkers) if same_names else None,
            links_to,
            linkers,
        )
        numbered = list(enumerate(self.notes))
        to_render = sum(1 for path in self.notes if path not in prev.notes)
        workers = worker_count(self.workers, to_render)
        if workers > 1:
            entries = self._in_workers(numbered, workers)
        else:
            entries = self._render_notes(numbered)
        self.result.workers = workers
        return entries

    def _search_files(self, entries: list[SearchEntry]) -> dict[str, str]:
        """The search shards to write: the last build's patched with the entries that
        changed, when the notes are the same (and numbered the same) and its shards are
        there as it wrote them; else made from every entry."""
        if any(before is None for _number, before, _after in self.reindexed):
            self.touched_shards = None  # an entry the last build did not keep: write all
        if self.touched_shards is not None:
            docs = [doc for doc, _postings in entries]
            patched = self._patched_shards(docs)
            if patched is not None:
                self.result.indexed = len(self.reindexed)
                return patched
        index = SearchIndex()
        for doc, postings in entries:
            index.add(doc, postings if isinstance(postings, dict) else postings.postings)
        self.state.shards = index.shard_keys()
        self.result.indexed = len(entries)
        return index.files(self._unchanged_shard)

    def _patched_shards(self, docs: list[list[str]]) -> dict[str, str] | None:
        """The shards whose entries changed, from the last build's files (read, and
        checked to be what it wrote) patched with the notes indexed anew; every other
        shard kept. None when a shard is not there as the last build wrote it."""
        assert self.touched_shards is not None
        old: dict[str, dict[str, list[int]]] = {}
        for rel in self.touched_shards:
            key = rel.removeprefix("search/w/").removesuffix(".json")
            if rel.startswith("search/w/") and key in self.prev.shards:
                found = self._read_kept(rel)
                if found is None:
                    return None
                old[key] = found
        changes: list[Change] = [(n, b, a) for n, b, a in self.reindexed if b is not None]
        patched = patch_shards(self.prev.shards, old, docs, changes, self.touched_shards)
        files, shards = patched
        kept = [f"search/w/{key}.json" for key in shards]
        kept += [f"search/d/{k}.json" for k in range(-(-len(docs) // DOCS_PER_SHARD))]
        kept = [rel for rel in kept if rel not in files]
        if not all(self.out.can_keep(rel) for rel in kept):
            return None
        for rel in kept:
            self.out.keep(rel)
        self.state.shards = shards
        return files

    def _read_kept(self, rel: str) -> Any:
        """The JSON of the file `rel` of the last build, when its bytes are those it wrote."""
        try:
            data = (self.out.folder / rel).read_bytes()
            return json.loads(data) if digest(data) == self.prev.files.get(rel) else None
        except (OSError, ValueError):
            return None

    def _in_workers(self, numbered: list[tuple[int, str]], workers: int) -> list[SearchEntry]:
        """`_render_notes` in `workers` forked processes, over consecutive runs of notes;
        what each did is merged in note order, so the site is the one a single process
        writes."""
        global _FORKED
        size = -(-len(numbered) // (workers * 4))
        chunks = [numbered[i : i + size] for i in range(0, len(numbered), size)]
        _FORKED = self
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                parts = list(pool.map(_render_chunk, chunks))
        finally:
            _FORKED = None
        entries: list[SearchEntry] = []
        for part in parts:
            self._merge(part)
            entries += part.entries
        return entries

    def _render_notes(self, numbered: list[tuple[int, str]]) -> list[SearchEntry]:
        """The pages and search entries of the notes `numbered` (their numbers in the vault)."""
        return [self._render_note(number, path) for number, path in numbered]

    def _render_note(self, number: int, path: str) -> SearchEntry:
        job, prev, note = self.job, self.prev, self.notes[path]
        renderer, links, policy = job.renderer, job.links, job.policy
        old = prev.notes.get(path)
        rel = self.urls.output_path(path) or ""
        body: str | None = None
        if old is not None and self._still_holds(
            path, old.inputs, links, job.changed, job.same_names
        ):
            inputs, body_key = old.inputs, old.body
        else:
            body, inputs = self._body(renderer, links, path)
            body_key = digest(body)
        kept = prev.pages.get(rel)
        context: dict[str, Any] | None = None
        if body is None and job.unsettled is not None and path not in job.unsettled and kept:
            key = kept  # neither the note nor a note it links or is linked by changed
        else:
            context = self._note_context(note, links, policy)
            key = digest(self.key, "note.html", rel, body_key, context)
        if not self._keep_page(rel, key):
            if body is None:
                body, inputs = self._body(renderer, links, path)
            if context is None:
                context = self._note_context(note, links, policy)
            page = dict(context, body=Markup(body))  # sanitised by the renderer (nh3)
            self._render_page("note.html", rel, key, {"page": page})
        if old is not None and body is None and job.same_names and path not in job.changed:
            # its entry is made of the note and its URL alone: both unchanged
            index_key, doc, postings = old.index_key, old.doc, None  # `old` has them
        else:
            url = self.urls.url_of(path) or ""
            fields = {
                "title": [note.title],
                "alias": self.aliases[path],
                "tag": self.tags[path],
                "heading": [h.text for h in note.headings],
            }
            index_key = digest(url, note.title, note.folder, fields, body_key)
            if old is not None and old.index_key == index_key:
                doc, postings = old.doc, None
            else:
                if body is None:
                    body, inputs = self._body(renderer, links, path)
                doc, postings = entry(url, note.title, note.folder, fields, html_text(body))
                self._reindexed(number, old, doc, postings)
        self.excerpts[path] = doc[3]
        self.texts.forget(path)
        if path in self.texts.failed:
            pass
        elif (
            old is not None
            and path not in job.changed
            and inputs is old.inputs
            and body_key == old.body
            and (index_key == old.index_key and doc is old.doc and self.reach[path] is old.reach)
        ):
            self.state.notes[path] = old  # as the last build left it
        else:
            found = postings if postings is not None else old.postings if old else {}
            facts = digest(self.titles[path], self.tags[path], policy.schedule(note, self.today))
            self.state.notes[path] = NoteState(
                inputs, body_key, index_key, doc, found, self.reach[path], facts
            )
        if postings is None:
            assert old is not None
            return doc, old
        return doc, postings

    def _collect(self) -> None:
        """In a worker: start recording afresh what this process renders and writes."""
        self.state.pages, self.state.notes = {}, {}
        self.out.digests, self.out.written = {}, set()
        self.result.rendered, self.result.pages = [], 0
        self.texts.failed, self.excerpts, self.reindexed = {}, {}, []
        if self.touched_shards is not None:
            self.touched_shards = set()

    def _part(self, entries: list[SearchEntry]) -> _Part:
        return _Part(
            entries,
            self.state.notes,
            self.state.pages,
            self.out.digests,
            self.out.written,
            self.result.rendered,
            self.result.pages,
            self.touched_shards,
            self.texts.failed,
            self.excerpts,
            self.reindexed,
        )

    def _merge(self, part: _Part) -> None:
        """Take in what a worker rendered and wrote, as if this process had."""
        self.state.notes.update(part.notes)
        self.state.pages.update(part.pages)
        self.out.digests.update(part.digests)
        self.out.written |= part.written
        self.result.rendered += part.rendered
        self.result.pages += part.count
        if self.touched_shards is not None and part.touched is not None:
            self.touched_shards |= part.touched
        self.texts.failed.update(part.failed)
        self.excerpts.update(part.excerpts)
        self.reindexed += part.reindexed

    def _reindexed(
        self, number: int, old: NoteState | None, doc: list[str], postings: dict[str, int]
    ) -> None:
        """Note the search shards that a new entry for note `number` changes: those of the
        words whose score changed, and its document's when that changed."""
        if self.touched_shards is None:
            return
        before = old.postings if old is not None else None
        self.reindexed.append((number, before, postings))
        if before is None:
            words = set(postings)
        else:
            words = {w for w in postings.keys() | before.keys() if postings.get(w) != before.get(w)}
        self.touched_shards |= {f"search/w/{shard_key(w)}.json" for w in words}
        if old is None or old.doc != doc:
            self.touched_shards.add(f"search/d/{number // DOCS_PER_SHARD}.json")

    def _unchanged_shard(self, rel: str) -> bool:
        """True (and the file kept) when no note's entry in the shard `rel` changed."""
        if self.touched_shards is None or rel in self.touched_shards:
            return False
        if not self.out.can_keep(rel):
            return False
        self.out.keep(rel)
        return True

    def _unsettled(
        self,
        changed: set[str],
        links_to: dict[str, frozenset[str]],
        linkers: dict[str, list[str]],
    ) -> set[str]:
        """The notes whose page may show something new when only `changed` notes changed
        (and no name did): those, the notes they link to or linked to (backlinks), and the
        notes that link to them (a property's link may land elsewhere)."""
        found = set(changed)
        for path in changed:
            found |= links_to.get(path, set())
            old = self.prev.notes.get(path)
            if old is not None:
                found |= old.links_to
        for path in changed:
            found.update(linkers.get(path, ()))
        return found

    def _body(self, renderer: NoteRenderer, links: SiteLinks, path: str) -> tuple[str, Inputs]:
        """The note's body as HTML, and what it read while it rendered."""
        links.deps = deps = Deps()
        try:
            return renderer.render(path), deps.inputs(path)
        finally:
            links.deps = None

    def _still_holds(
        self, owner: str, inputs: Inputs, links: SiteLinks, changed: set[str], same_names: bool
    ) -> bool:
        """True when a body rendered with `inputs` would render the same now: the notes it
        shows have the same bytes, and its links (and site URLs) the same answers. With
        the same names in the vault, only a link into a changed note can answer anew."""
        for path, sha in inputs.notes.items():
            note = self.notes.get(path)
            if note is None or note.sha256 != sha:
                return False
        if same_names and not inputs.targets & changed:
            return True
        for url, found in inputs.site_urls.items():
            if self.urls.is_site_url(url) != found:
                return False
        answers = []
        for source, path, subpath in inputs.keys:
            now = links.resolve(source or owner, path, subpath)
            answers.append((now.url, now.path, now.anchor, now.problem))
        return digest(answers) == inputs.answers

    # -- inputs --------------------------------------------------------------

    def _claim_folders(self) -> None:
        folders = {""}
        for note in self.notes.values():
            parts = note.folder.split("/") if note.folder else []
            folders.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        for folder in sorted(folders - {""}):
            self.folder_pages[folder] = self.urls.claim(
                self.urls.folder_path(folder) + "/index.html"
            )

    def _tag_urls(self, node: TagNode) -> None:
        for child in node.children.values():
            rel = self.tag_paths[child.name.lower()] = self.urls.claim(tag_page_path(child.name))
            child.url = self.urls.url(rel)
            self._tag_urls(child)

    # -- pages ---------------------------------------------------------------

    def _page(self, template: str, rel: str, **context: Any) -> None:
        """A page of the site, rendered unless the last build wrote it from the same data."""
        key = digest(self.key, template, rel, context)
        if not self._keep_page(rel, key):
            self._render_page(template, rel, key, context)

    def _keep_page(self, rel: str, key: str) -> bool:
        """Keep the page at `rel` when the last build rendered it with the same `key`."""
        self.state.pages[rel] = key
        if self.prev.pages.get(rel) != key or not self.out.can_keep(rel):
            return False
        self.out.keep(rel)
        self.result.pages += 1
        return True

    def _keep_pages(self, rels: list[str]) -> bool:
        """Keep every page at `rels` as the last build rendered it (the URLs of all but the
        first taken again), when all of them are there; else keep none."""
        prev = self.prev
        if not rels or not all(rel in prev.pages and self.out.can_keep(rel) for rel in rels):
            return False
        for rel in rels[1:]:
            self.urls.reserve(rel)
        for rel in rels:
            self._keep_page(rel, prev.pages[rel])
        return True

    def _same_facts(self) -> bool:
        """True when every note shows the site-wide pages what it showed the last build:
        the same notes in the same order under the same URLs, and each changed note with
        the title, tags and review item it had (`NoteState.facts`)."""
        if not self.same_notes:
            return False
        prev, now = self.prev.notes, self.state.notes
        for path in self.job.changed:
            old, new = prev.get(path), now.get(path)
            if old is None or new is None or old.facts != new.facts:
                return False
        return True

    def _render_page(self, template: str, rel: str, key: str, context: dict[str, Any]) -> None:
        html = self.env.get_template(template).render(site=self.site, **context)
        self.out.write_text(rel, html)
        self.state.pages[rel] = key
        self.result.pages += 1
        self.result.rendered.append(rel)

    def _listings(self, tags: TagNode) -> None:
        """The tag and folder pages. They show the notes' paths, titles and tags alone: when
        those are the last build's (and its pages are there), its pages are kept as they
        are, and the URLs their extra pages took are taken again, without making them."""
        prev = self.prev
        if self._same_facts():  # the same titles and tags, so the same key
            self.state.listings_key = prev.listings_key
        else:
            self.state.listings_key = digest(
                self.state.universe,
                [(self.titles[p], self.tags[p]) for p in self.notes],
            )
        if prev.listings_key == self.state.listings_key and all(
            self.out.can_keep(rel) for rel, _key, _claimed in prev.listings
        ):
            for rel, key, claimed in prev.listings:
                if claimed:
                    self.urls.reserve(rel)
                self._keep_page(rel, key)
            self.state.listings = list(prev.listings)
            return
        self.listed = []
        self._tag_pages(tags)
        self._folder_pages()
        self.state.listings = list(self.listed)  # not the home page's, which come later

    def _list_page(self, rel: str, page: dict[str, Any]) -> None:
        """A listing in pages of at most `PAGE_SIZE` entries per section (`rel`, then
        `rel-2.html`, ...), so that no page grows with the vault."""
        sections = page["sections"]
        count = max([1] + [-(-len(s["entries"]) // PAGE_SIZE) for s in sections])
        stem = rel.removesuffix(".html")
        paths = [rel] + [self.urls.claim(f"{stem}-{k}.html") for k in range(2, count + 1)]
        for k, path in enumerate(paths):
            chunk = [
                dict(s, entries=s["entries"][k * PAGE_SIZE : (k + 1) * PAGE_SIZE]) for s in sections
            ]
            pager = {
                "index": k + 1,
                "count": count,
                "prev": self.urls.url(paths[k - 1]) if k > 0 else "",
                "next": self.urls.url(paths[k + 1]) if k + 1 < count else "",
            }
            self._page("list.html", path, page=dict(page, sections=chunk, pager=pager))
            self.listed.append((path, self.state.pages[path], k > 0))
        self.result.listed += len(paths)

    def _note_context(self, note: Note, links: SiteLinks, policy: ReviewPolicy) -> dict[str, Any]:
        """What a note's page shows besides its body."""
        ids = links.heading_ids(note.path)
        toc = [
            {"level": h.level, "text": h.text, "id": ids[h.line]}
            for h in note.headings
            if h.level >= 2 and h.line in ids
        ]
        properties = [
            (key, property_values(note, value, links))
            for key, value in note.meta.items()
            if key not in HIDDEN_PROPERTIES
        ]
        item = policy.schedule(note, self.today)
        linkers = self.job.linkers.get(note.path, [])
        quoted = {p: self.reach[p].quotes for p in linkers}
        found = backlinks(note, linkers, quoted, self.urls, self.notes)
        page = {
            "title": note.title,
            "crumbs": breadcrumbs(note.folder, self.urls, self.folder_pages),
            "tags": [{"text": t, "url": self._tag_url(t)} for t in self.tags[note.path]],
            "properties": [(k, v) for k, v in properties if v],
            "toc": toc,
            "backlinks": found[:MAX_BACKLINKS],
            "backlinks_more": max(0, len(found) - MAX_BACKLINKS),
            "outgoing": outgoing(note, links, self.urls)[:MAX_BACKLINKS],
            "review": item.due.isoformat() if item else "",
            "review_status": item.status() if item else "",
        }
        return page

    def _tag_url(self, tag: str) -> str:
        rel = self.tag_paths.get(tag.lower().strip("/"))
        return self.urls.url(rel) if rel else ""

    def _note_items(self, paths: set[str] | list[str]) -> list[dict[str, Any]]:
        titles = self.titles
        ordered = sorted(paths, key=lambda p: (titles[p].lower(), p))
        return [
            {"text": titles[p], "url": self.urls.url_of(p), "count": None, "note": ""}
            for p in ordered
        ]

    def _note_items_in_order(self, paths: list[str]) -> list[dict[str, Any]]:
        titles = self.titles
        return [
            {"text": titles[p], "url": self.urls.url_of(p), "count": None, "note": ""}
            for p in paths
        ]

    def _tag_pages(self, root: TagNode) -> None:
        def items(node: TagNode) -> list[dict[str, Any]]:
            return [
                {"text": "#" + c.name, "url": c.url, "count": len(c.all_notes()), "note": ""}
                for c in sorted(node.children.values(), key=lambda c: c.name.lower())
            ]

        def walk(node: TagNode) -> None:
            for child in node.children.values():
                crumbs = [
                    Crumb("Home", self.urls.url("index.html")),
                    Crumb("Tags", self.urls.url("tags/index.html")),
                ]
                page = {
                    "title": "#" + child.name,
                    "crumbs": crumbs,
                    "intro": f"{len(child.all_notes())} notes",
                    "sections": [
                        {"title": "Nested tags", "kind": "tags", "entries": items(child)},
                        {
                            "title": "Notes",
                            "kind": "notes",
                            "entries": self._note_items(child.all_notes()),
                        },
                    ],
                }
                self._list_page(self.tag_paths[child.name.lower()], page)
                walk(child)

        walk(root)
        page = {
            "title": "Tags",
            "crumbs": [Crumb("Home", self.urls.url("index.html"))],
            "intro": "",
            "sections": [{"title": "", "kind": "tags", "entries": items(root)}],
        }
        self._list_page("tags/index.html", page)

    def _folder_pages(self) -> None:
        notes_in: dict[str, list[str]] = {}
        for path, note in self.notes.items():
            notes_in.setdefault(note.folder, []).append(path)
        for folder, rel in self.folder_pages.items():
            subfolders = [
                {
                    "text": f.rsplit("/", 1)[-1] + "/",
                    "url": self.urls.url(r),
                    "count": None,
                    "note": "",
                }
                for f, r in self.folder_pages.items()
                if posixpath.dirname(f) == folder
            ]
            page = {
                "title": folder.rsplit("/", 1)[-1],
                "crumbs": breadcrumbs(posixpath.dirname(folder), self.urls, self.folder_pages),
                "intro": folder,
                "sections": [
                    {"title": "Folders", "kind": "folders", "entries": subfolders},
                    {
                        "title": "Notes",
                        "kind": "notes",
                        "entries": self._note_items(notes_in.get(folder, [])),
                    },
                ],
            }
            self._list_page(rel, page)

    def _home(self, tags: TagNode) -> None:
        top = [
            {"text": f + "/", "url": self.urls.url(r), "count": None, "note": ""}
            for f, r in self.folder_pages.items()
            if "/" not in f
        ]
        recent = [path for path, _ in self._recent[:RECENT]]
        page = {
            "title": self.site["title"],
            "crumbs": [],
            "intro": f"{len(self.notes)} notes",
            "sections": [
                {"title": "Folders", "kind": "folders", "entries": top},
                {
                    "title": "Notes at the top",
                    "kind": "notes",
                    "entries": self._note_items([p for p, n in self.notes.items() if not n.folder]),
                },
                {
                    "title": "Recently modified",
                    "kind": "notes",
                    "entries": self._note_items_in_order(recent),
                },
                {
                    "title": "Tags",
                    "kind": "tags",
                    "entries": [
                        {
                            "text": "#" + c.name,
                            "url": c.url,
                            "count": len(c.all_notes()),
                            "note": "",
                        }
                        for c in sorted(tags.children.values(), key=lambda c: c.name.lower())
                    ],
                },
            ],
        }
        self._list_page("index.html", page)

    @cached_property
    def _recent(self) -> list[tuple[str, dt.datetime]]:
        """The most recently modified notes, newest first: the home page's and the feed's."""
        return recent_notes(self.notes, max(RECENT, FEED_ENTRIES))

    def _graph(self) -> None:
        """graph.json (notes and the links between them, each pair once) and its page, kept
        as the last build wrote them while no note's title or links changed."""
        prev, now = self.prev.notes, self.state.notes
        if (
            self.same_notes
            and all(
                p in prev
                and p in now
                and prev[p].doc[1] == now[p].doc[1]  # [url, title, ...]
                and prev[p].reach.notes == now[p].reach.notes
                for p in self.job.changed
            )
            and self.out.can_keep("graph.json")
            and self._keep_pages(["graph.html"])
        ):
            self.out.keep("graph.json")
            return
        self.result.made.append("graph")
        index = {path: i for i, path in enumerate(self.notes)}
        edges: list[tuple[int, int]] = []  # by source, then target: sorted
        degree = [0] * len(index)
        for a, path in enumerate(self.notes):
            targets = sorted({index[t] for t in self.reach[path].notes} - {a})
            degree[a] += len(targets)
            for b in targets:
                degree[b] += 1
            edges += [(a, b) for b in targets]
        nodes = [[self.urls.url_of(p) or "", self.titles[p], degree[i]] for p, i in index.items()]
        self.out.write("graph.json", json_bytes({"nodes": nodes, "edges": edges}))
        self._page("graph.html", "graph.html", page={"notes": len(nodes), "links": len(edges)})

    def _review_page(self) -> None:
        """The review page (and its list of what is due, when long), kept as the last build
        made it while no note's schedule changed."""
        if self._same_facts() and self._keep_pages(self.prev.reviews):
            self.state.reviews = list(self.prev.reviews)
            return
        self.result.made.append("review")
        listed = len(self.listed)
        items = scheduled(self.vault, self.today)
        due = [
            {"title": i.title, "url": self.urls.url_of(i.path), "status": i.status()}
            for i in items
            if i.due <= self.today
        ]
        counts = weekly_counts(items, self.today)
        everything = ""
        if len(due) > PAGE_SIZE:  # the whole list in pages of its own; no page grows
            rel = self.urls.claim("review-due.html")
            everything = self.urls.url(rel)
            entries = [
                {"text": d["title"], "url": d["url"], "count": None, "note": d["status"]}
                for d in due
            ]
            listing = {
                "title": "Due and overdue",
                "crumbs": [Crumb("Reviews", self.urls.url("review.html"))],
                "intro": f"{len(due)} notes as of {self.today.isoformat()}",
                "sections": [{"title": "", "kind": "notes", "entries": entries}],
            }
            self._list_page(rel, listing)
        page = {
            "today": self.today.isoformat(),
            "due": due[:PAGE_SIZE],
            "due_count": len(due),
            "everything": everything,
            "upcoming": sum(counts),
            "weeks": len(counts),
            "bars": chart(counts, self.today),
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
        }
        self._page("review.html", "review.html", page=page)
        self.state.reviews = ["review.html"] + [rel for rel, _k, _c in self.listed[listed:]]

    def _feed(self) -> None:
        recent = self._recent[:FEED_ENTRIES]
        base = self.urls.base_url
        entries = [
            Entry(self.notes[p].title, self.urls.url_of(p) or "", rfc3339(when), self.excerpts[p])
            for p, when in recent
        ]
        feed = {
            "id": base if is_absolute(base) else f"urn:kbtool:{quote(str(self.site['title']))}",
            "self": self.urls.url("feed.xml"),
            "home": self.urls.url("index.html"),
            "updated": entries[0].updated if entries else rfc3339(dt.datetime.now(dt.UTC)),
            "entries": entries,
        }
        xml = self.xml.get_template("feed.xml").render(site=self.site, feed=feed)
        self.out.write_text("feed.xml", xml)

    def _sitemap(self) -> None:
        if not is_absolute(self.urls.base_url):
            return
        when = dict(recent_notes(self.notes, len(self.notes)))
        urls: list[dict[str, str]] = [{"loc": self.urls.url("index.html"), "lastmod": ""}]
        urls += [
            {"loc": self.urls.url_of(p) or "", "lastmod": rfc3339(when[p])[:10]} for p in self.notes
        ]
        xml = self.xml.get_template("sitemap.xml").render(urls=urls)
        self.out.write_text("sitemap.xml", xml)

    def _assets(self) -> None:
        css = _asset("style.css").decode("utf-8") + "\n" + pygments_css()
        own = self.vault.root / OVERRIDES / "site.css"
        if own.is_file() and _inside(self.vault.root, own):
            css += "\n/* the vault's .kbtool/site.css */\n" + own.read_text("utf-8", "replace")
        self.out.write_text("assets/style.css", css)
        for name in ("site.js", "theme.js", "graph.js", "neighbourhood.js", "favicon.svg"):
            self.out.write("assets/" + name, _asset(name))


def build_site(
    vault: Vault,
    output: Path,
    *,
    base_url: str = "/",
    today: dt.date | None = None,
    live: bool = False,
    previous: BuildState | None = None,
    save_state: bool = True,
    workers: int | None = None,
    files: VaultFiles | None = None,
    finding_codes: Sequence[str] = LINK_CODES,
) -> BuildResult:
    """Build the site of `vault` into `output`; raise `OutputError` for an unusable folder.

    The link findings of `check` (KB201 to KB207, with the vault's severities
    and suppressions) come back in the result, for the caller to report. A
    build into an earlier build's folder renders only what changed, from the
    state that build left there, or from `previous` (its `result.state`) when
    the caller kept it; `save_state=False` leaves none in the folder (then the
    caller must pass it back). `workers`: processes rendering the notes (None:
    all cores for a large build; they are forked, so a threaded caller passes 1).
    `files`: the listing `vault` was loaded from (`scan_vault`), else the vault is
    listed again for the link findings. `finding_codes`: the codes (or prefixes) of
    `check` reported (`serve` adds those of a broken note).
    """
    with _frozen_heap():
        with paused_gc():  # the last build's state: many objects, long-lived, no cycles
            out = SiteOutput(output, vault.root, previous)
            gc.freeze()
        settings = (base_url, today or dt.date.today(), live, workers)
        try:
            builder, result = _run(vault, out, *settings)
        except RowsLost:  # a piece of the last build's state is gone: build afresh
            out.start_afresh()
            builder, result = _run(vault, out, *settings)
        out.finish(builder.state, save_state=save_state)
        result.state = builder.state
        result.findings = link_findings(vault, today, files, finding_codes)
    return result


def load_for_build(
    files: VaultFiles, *, progress: Callable[[int, int], None] | None = None, cache: bool = True
) -> Vault:
    """The notes of `files` loaded (through the parse cache, with `cache`) for
    `build_site`, with the
    garbage collector paused while they load and then told to leave them out of its
    scans (`gc.freeze`; `build_site` lets them back in when it is done). Else the
    first allocation after the load collects every object it made, a tenth of a
    rebuild, to find no garbage: the note model holds no cycles."""
    with paused_gc():
        vault = load_files(files, progress=progress, cache=cache)
        gc.freeze()
    return vault


def _run(
    vault: Vault,
    out: SiteOutput,
    base_url: str,
    today: dt.date,
    live: bool,
    workers: int | None,
) -> tuple[_Builder, BuildResult]:
    builder = _Builder(vault, out, base_url, today, live, workers)
    try:
        return builder, builder.run()
    except RowsLost:
        raise  # the caller builds again, afresh
    except BaseException:
        out.abandon()
        raise


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Leave what is already allocated (the loaded vault) out of the garbage collector's
    scans while the site is built: a rebuild allocates little, and each collection of
    the oldest generation would otherwise walk every note again (a tenth of a rebuild)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def link_findings(
    vault: Vault,
    today: dt.date | None = None,
    files: VaultFiles | None = None,
    codes: Sequence[str] = LINK_CODES,
) -> list[Diagnostic]:
    """What `check` reports about links (KB201 to KB207; or `codes`), as the warm check
    gives it: after
    one note changed, only that note and the notes its change reaches are checked again
    (`kbtool.lint.incremental`); `vault` is checked whole only when no state is stored."""
    if files is None or files.root != vault.root or any(s is None for _r, _p, s in files.notes):
        files = scan_vault(vault.root, config=vault.config)  # with every note's stamp
    return cached_check(files, select=list(codes), today=today, loaded=vault).result.diagnostics
