"""Deterministic generator of seed-shaped vaults, for benchmarks and scale tests.

Real vaults cannot be copied into the repo and are too small to time, so this
writes synthetic ones with the shape of /work/shared/reference/seed-note.md:
17-key frontmatter, `## Summary`, `## Details` with `###` subsections and bullet
lists, `## Related`, topical folders (some nested), MOCs, and every link form of
the Obsidian grammar, including text that only looks like a link (code, math,
comments). About 1% of the links are broken and a few file names repeat in
different folders, so that KB201, KB202 and KB302 have work to do.

Same (n, seed) gives byte-identical output: one `random.Random(seed)` drives
everything, nothing reads the clock, no set or hash order leaks into the output.

    python benchmarks/generate_vault.py 10000 /tmp/vault --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

__all__ = ["GENERATOR_VERSION", "generate"]

# Bump when the output changes, so that cached benchmark vaults are rebuilt.
GENERATOR_VERSION = 2

FRONTMATTER_KEYS = (
    "aliases",
    "confidence",
    "created",
    "epistemic",
    "last_reviewed",
    "modified",
    "purpose",
    "review_interval",
    "see_also",
    "source_of_truth",
    "status",
    "tags",
    "title",
    "type",
    "uid",
    "updated",
    "version",
)


def _words(text: str) -> tuple[str, ...]:
    """A `;`-separated word list, so that the vocabulary stays compact."""
    return tuple(" ".join(w.split()) for w in text.split(";") if w.strip())


# Topical folders; about a third are nested two deep.
FOLDERS = _words(
    """
    Kubernetes; Networking; Kubernetes/Operators; Databases; Linux; Databases/Replication;
    Security; Machine Learning; Security/Cryptography; Statistics; Distributed Systems; Machine
    Learning/Transformers; Programming Languages; Observability; Programming Languages/Python;
    Storage; Cloud; Cloud/AWS; Compilers; Operating Systems; Operating Systems/Scheduling; Web;
    Testing; Web/Browsers; Project Management; Writing; Project Management/Estimation;
    Economics; Psychology; Economics/Markets; Cooking; Music Theory; Cooking/Baking; Physics;
    Mathematics; Physics/Thermodynamics; History; Biology; Mathematics/Linear Algebra;
    Chemistry; Philosophy; Biology/Genetics; Design; Photography; Design/Typography; Gardening;
    Finance; Gardening/Soil; Hardware; Hardware/Embedded
    """
)

SUBJECTS = _words(
    """
    Kube-proxy; The scheduler; Etcd; A service mesh; TCP congestion control; DNS caching;
    Write-ahead logging; MVCC; The page cache; Cgroups; TLS session resumption; Gradient
    descent; Batch normalisation; Attention; Bayesian inference; The central limit theorem;
    Consistent hashing; Raft; Vector clocks; Garbage collection; Type inference; Structured
    logging; Distributed tracing; Erasure coding; Object storage; Autoscaling; Spot instances;
    Register allocation; SSA form; Context switching; Virtual memory; HTTP2 multiplexing;
    Service workers; Property-based testing; Mutation testing; Story points; Technical writing;
    Supply and demand; Loss aversion; Sourdough fermentation; The Maillard reaction;
    Counterpoint; Entropy; Eigenvalues; The printing press; CRISPR; Colour theory; Kerning;
    Composting; Index funds; Interrupt handling; Zürich's tram network; Ångström-scale
    lithography; Café ordering queues; Read replicas; B-trees; Bloom filters; Rate limiting;
    Feature flags; Blue-green deployment; Circuit breakers; Backpressure; Idempotency keys;
    Leader election; Quorum reads; Load shedding; Memory fences; Copy-on-write; Huffman coding;
    The Fourier transform; Dropout; Beam search; Tokenisation; Photosynthesis; Osmosis; Compound
    interest; Opportunity cost; Spaced repetition
    """
)
VERBS = _words(
    """
    reduces; depends on; replaces; improves; limits; extends; caches; trades latency for; hides;
    amplifies; stabilises; explains; prevents; requires; competes with; complements; speeds up;
    simplifies; exposes; bounds; protects; duplicates; approximates; schedules; orders;
    partitions; compresses; validates; batches; isolates
    """
)
OBJECTS = _words(
    """
    tail latency; write amplification; cold starts; memory pressure; network partitions; lock
    contention; cache misses; disk seeks; overfitting; variance; throughput; consistency;
    availability; developer feedback loops; onboarding time; readability; flavour development;
    heat transfer; signal noise; measurement error; estimation bias; market volatility; decision
    fatigue; long-term retention; energy use; error propagation; startup time; binary size;
    crash recovery; tenant isolation; request fan-out; retry storms; clock skew; stale reads;
    hot partitions; thundering herds; head-of-line blocking; priority inversion; false sharing;
    data skew; schema drift; alert fatigue; queue depth; page faults
    """
)
QUALIFIERS = ("",) * 4 + _words(
    """
    in production; under load; for small teams; at scale; in practice; on modern hardware;
    during failover; in the common case; for read-heavy workloads; without coordination; over
    time; in theory
    """
)
HEADINGS = _words(
    """
    Mechanism; Configuration; Failure modes; Trade-offs; When to use it; Version 2.0 changes;
    Performance (p99); History; Common mistakes; Examples; Alternatives; Limits & quotas;
    Operational notes; Open questions
    """
)
LABELS = _words(
    """
    Static allocation; Traffic forwarding; Use case; Limitation; Cost; Dependency; Scaling;
    Default; Observability; Security; Recovery; Ownership; Portability; Complexity
    """
)
PHRASES = _words(
    """
    works well when the working set fits in memory; needs a stable identity for every
    participant; is usually the first thing to tune; behaves differently once the cluster spans
    zones; is cheap to adopt and expensive to remove; shows up in traces as a long flat span; is
    easy to misconfigure in subtle ways; pays off only after a few weeks of use; depends on the
    clock being roughly right; interacts badly with aggressive retries; must be measured before
    it is optimised; keeps the common path short
    """
)
TYPES = ("Fact", "Concept", "Procedure", "Principle", "Question")
CONFIDENCE = ("", "", "low", "medium", "high")
EPISTEMIC = ("", "", "established", "contested", "speculative")
STATUS = ("", "draft", "active", "evergreen")
TAG_WORDS = _words(
    """
    latency; caching; reliability; scaling; consistency; learning; performance; design; ops;
    theory; practice; tooling; data
    """
)
CODE_LANGS = ("python", "bash", "yaml", "text")

# A valid 1x1 transparent PNG and a minimal PDF: enough for embeds to point at.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

BASE_DATE = datetime(2024, 1, 1, 8, 0, 0)
BROKEN_EVERY = 8  # one broken link per this many notes: about 1% of all links
_PLAIN_SCALAR = re.compile(r"[A-Za-z][A-Za-z0-9 .,()'/_-]*")


@dataclass
class Planned:
    """One file-to-be: where it goes and what other notes may link into."""

    index: int
    folder: str
    name: str
    headings: list[str]
    block_id: str | None = None
    moc: int = 0
    duplicate: bool = False
    is_moc: bool = False
    members: list[int] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}.md"

    @property
    def ref(self) -> str:
        """The link path that reaches this note unambiguously."""
        return f"{self.folder}/{self.name}" if self.duplicate else self.name


@dataclass
class Plan:
    notes: list[Planned]
    mocs: list[Planned]
    by_folder: dict[str, list[int]]
    blocked: list[int]
    attachments: list[str]
    pdf: str
    ghosts: list[str]
    duplicates: list[str]


class _Names:
    """Unique, case-insensitively distinct, sentence-like note names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: dict[str, None] = {}

    def new(self) -> str:
        while True:
            words = [
                self.rng.choice(SUBJECTS),
                self.rng.choice(VERBS),
                self.rng.choice(OBJECTS),
                self.rng.choice(QUALIFIERS),
            ]
            name = " ".join(w for w in words if w)
            if name.lower() not in self.used:
                self.used[name.lower()] = None
                return name


def _plan(n: int, rng: random.Random) -> Plan:
    """Decide every file's folder, name, headings and block id before writing any."""
    folders = list(FOLDERS[: min(len(FOLDERS), max(3, n // 30))])
    n_mocs = max(1, round(n / 100))
    names = _Names(rng)
    notes: list[Planned] = []
    by_folder: dict[str, list[int]] = {f: [] for f in folders}
    for i in range(n - n_mocs):
        folder = folders[rng.randrange(len(folders))]
        headings = rng.sample(HEADINGS, rng.randint(2, 3))
        note = Planned(i, folder, names.new(), headings)
        if i % 3 == 0:
            note.block_id = f"{rng.getrandbits(24):06x}"
        notes.append(note)
        by_folder[folder].append(i)
    for _ in range(max(2, n // 2500)):
        _make_duplicate(notes, rng)
    mocs = _plan_mocs(notes, folders, n_mocs)
    n_att = max(3, n // 250)
    return Plan(
        notes=notes,
        mocs=mocs,
        by_folder=by_folder,
        blocked=[p.index for p in notes if p.block_id],
        attachments=[f"Attachments/diagram-{k:03d}.png" for k in range(1, n_att + 1)],
        pdf="Attachments/reference-manual.pdf",
        ghosts=[names.new() for _ in range(n // BROKEN_EVERY + 1)],
        duplicates=list(dict.fromkeys(p.name for p in notes if p.duplicate)),
    )


def _make_duplicate(notes: list[Planned], rng: random.Random) -> None:
    """Give a note the file name of a note in another folder (KB202, KB302)."""
    for _ in range(100):
        a, b = rng.choice(notes), rng.choice(notes)
        if a.folder != b.folder and not a.duplicate and not b.duplicate:
            b.name = a.name
            a.duplicate = b.duplicate = True
            return


def _plan_mocs(notes: list[Planned], folders: list[str], n_mocs: int) -> list[Planned]:
    """One MOC per ~100 notes; each lists the notes of the folders it covers."""
    mocs: list[Planned] = []
    per_folder: dict[str, list[int]] = {f: [] for f in folders}
    for k in range(n_mocs):
        folder = folders[k % len(folders)]
        per_folder[folder].append(k)
        part = len(per_folder[folder])
        topic = folder.rsplit("/", 1)[-1]
        name = f"MOC - {topic}" + (f" part {part}" if part > 1 else "")
        mocs.append(Planned(k, "MOCs", name, [], is_moc=True))
    for f_idx, folder in enumerate(folders):
        if not per_folder[folder]:
            per_folder[folder] = [f_idx % n_mocs]
    for note in notes:
        owners = per_folder[note.folder]
        note.moc = owners[note.index % len(owners)]
        mocs[note.moc].members.append(note.index)
    return mocs


def _yaml_scalar(value: str) -> str:
    """A YAML scalar as a person would write it: plain when safe, else double-quoted."""
    return value if _PLAIN_SCALAR.fullmatch(value) else json.dumps(value, ensure_ascii=False)


def _flow_list(values: list[str]) -> str:
    return "[" + ", ".join(_yaml_scalar(v) for v in values) + "]"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9/]+", "-", text.lower()).strip("-")


def _strip_heading(text: str) -> str:
    """Obsidian's `stripHeading`: punctuation to spaces, runs of spaces to one."""
    return " ".join(re.sub(r"[!\"#$%&()*+,.:;<=>?@^`{|}~/\[\]\\]", " ", text).split())


class _Writer:
    """Renders one note at a time; all randomness comes from the shared rng."""

    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan = plan
        self.rng = rng
        self.ghost = 0

    def pick(self, src: Planned, local: float = 0.6) -> Planned:
        """A link target: mostly from the same folder, never `src` itself."""
        notes = self.plan.notes
        pool = self.plan.by_folder[src.folder]
        if len(pool) > 1 and self.rng.random() < local:
            idx = pool[self.rng.randrange(len(pool))]
        else:
            idx = self.rng.randrange(len(notes))
        return notes[(idx + 1) % len(notes)] if idx == src.index else notes[idx]

    def broken(self) -> str:
        self.ghost += 1
        return self.plan.ghosts[self.ghost - 1]

    def frontmatter(self, p: Planned, ntype: str, tags: list[str], see_also: list[str]) -> str:
        rng = self.rng
        created = BASE_DATE + timedelta(minutes=rng.randrange(400 * 24 * 60))
        modified = created + timedelta(minutes=rng.randrange(200 * 24 * 60))
        reviewed = (created + timedelta(days=rng.randrange(1, 200))).date().isoformat()
        values = {
            "aliases": _flow_list(
                [p.name.split(" ")[0] + f" {p.index}"] if p.index % 5 == 1 else []
            ),
            "confidence": rng.choice(CONFIDENCE),
            "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "epistemic": rng.choice(EPISTEMIC),
            "last_reviewed": reviewed if rng.random() < 0.4 else "",
            "modified": modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "purpose": "Explain one idea in isolation" if rng.random() < 0.2 else "",
            "review_interval": str(rng.choice((30, 60, 90))) if rng.random() < 0.5 else "",
            "see_also": _flow_list([f"[[{s}]]" for s in see_also]),
            "source_of_truth": _flow_list(
                [f"https://example.org/docs/{p.index}"] if rng.random() < 0.2 else []
            ),
            "status": rng.choice(STATUS),
            "tags": _flow_list(tags),
            "title": _yaml_scalar(p.name),
            "type": ntype,
            "uid": f"kb{rng.getrandbits(32):08x}" if rng.random() < 0.3 else "",
            "updated": "",
            "version": str(rng.randint(1, 3)),
        }
        lines = ["---", *(f"{k}: {values[k]}" for k in FRONTMATTER_KEYS), "---", ""]
        return "\n".join(lines)

    def note(self, p: Planned) -> str:
        rng = self.rng
        ntype = TYPES[p.index % len(TYPES)]
        topic = "topic/" + _slug(p.folder)
        tags = sorted({*rng.sample(TAG_WORDS, rng.randint(1, 3)), topic, f"type/{ntype.lower()}"})
        see_also = [self.pick(p).ref for _ in range(rng.randint(1, 2))] if p.index % 2 else []
        out = [self.frontmatter(p, ntype, tags, see_also), "## Summary", ""]
        out.append(self.summary(p))
        out += ["", "## Details", ""]
        for h_idx, heading in enumerate(p.headings):
            out += [f"### {heading}", ""]
            out += self.bullets(p, h_idx)
            out.append("")
        out += self.extras(p)
        out += ["## Related", ""]
        out.append(f"- [[{self.plan.mocs[p.moc].ref}]] - Map of content")
        for _ in range(rng.randint(2, 3)):
            out.append(f"- [[{self.pick(p).ref}]] - {rng.choice(PHRASES)}")
        return "\n".join(out) + "\n"

    def summary(self, p: Planned) -> str:
        rng = self.rng
        target = self.pick(p)
        text = f"{p.name} {rng.choice(PHRASES)}, unlike [[{target.ref}]]."
        if p.index % 4 == 2:
            text += r" Cost grows as $O(n \log n)$ in the number of $n$ items."
        if p.index % 6 == 1:
            text += " %% TODO: compare with [[Ghost comment note]] %%"
        if p.index % 5 == 3:
            text += f" Filed under #{rng.choice(TAG_WORDS)} and #{_slug(p.folder)}."
        return text

    def bullets(self, p: Planned, h_idx: int) -> list[str]:
        """A few `- **Label**: text [[link]]` items, each in one of the link forms."""
        rng = self.rng
        items = []
        for b in range(rng.randint(2, 4)):
            label, phrase = rng.choice(LABELS), rng.choice(PHRASES)
            items.append(f"- **{label}**: {phrase} {self.link(p, h_idx, b)}")
        if p.block_id and h_idx == 0:
            items[-1] += f" ^{p.block_id}"
        return items

    def link(self, p: Planned, h_idx: int, b: int) -> str:
        rng = self.rng
        if h_idx == 0 and b == 0 and p.index % BROKEN_EVERY == 3:
            return f"(see [[{self.broken()}]])"
        t = self.pick(p)
        form = rng.randrange(10)
        if form == 0:
            return f"[[{t.ref}|{t.name.split(' ')[0].lower()}]]"
        if form == 1:
            return f"[[{t.ref}#{rng.choice(t.headings)}]]"
        if form == 2:
            return f"[[{t.ref}#Details#{_strip_heading(rng.choice(t.headings))}]]"
        if form == 3 and self.plan.blocked:
            b_t = self.plan.notes[rng.choice(self.plan.blocked)]
            return f"([[{b_t.ref}#^{b_t.block_id}]])"
        if form == 4:
            return f"(see [{t.name.lower()}]({quote(t.ref)}.md))"
        if form == 5:
            return f"[[#{rng.choice(p.headings)}]] and [[{t.ref}.md]]"
        if form == 6:
            return f"(see [{t.name.lower()}](<{t.ref}.md>))"
        return f"[[{t.ref}]]"

    def extras(self, p: Planned) -> list[str]:
        """Embeds, code, tables and comments: on a fixed schedule so all appear."""
        rng, i = self.rng, p.index
        out: list[str] = []
        if i % 4 == 0:
            lang = CODE_LANGS[i % len(CODE_LANGS)]
            out += [
                f"```{lang}",
                "# [[Not a link in code]] and #not-a-tag",
                'print("![[fake-embed.png]] [x](Fake%20Note.md)")',
                "```",
                "",
            ]
        if i % 3 == 1:
            out += ["Use `[[Inline code is no link]]` literally, or `#notatag`.", ""]
        if i % 7 == 2 and i > 0:
            t = self.plan.notes[rng.randrange(i)]  # lower index only: no embed cycles
            out += [f"![[{t.ref}]]", ""]
            if t.block_id and i % 2:
                out += [f"![[{t.ref}#^{t.block_id}]]", ""]
        if i % 5 == 4:
            img = rng.choice(self.plan.attachments).rsplit("/", 1)[-1]
            size = "100" if i % 2 else "100x145"
            out += [f"![[{img}|{size}]]", ""]
        if i % 50 == 7:
            out += [f"![[{self.plan.pdf.rsplit('/', 1)[-1]}#page=3]]", ""]
        if i % 9 == 5:
            t = self.pick(p)
            out += [
                "| Term | See |",
                "| --- | --- |",
                f"| {LABELS[i % 14]} | [[{t.ref}\\|here]] |",
                "",
            ]
        if i % 11 == 6:
            out += ["$$", r"\sum_{k=1}^{n} [k] = \frac{n(n+1)}{2}", "$$", ""]
        if i % 13 == 8:
            out += ["<!-- [[Ghost html comment note]] -->", ""]
        if i % 17 == 9:
            out += ["Indented code follows.", "", "    [[Not a link, indented code]]", ""]
        if i % 19 == 10:
            out += ["%%", "Draft: merge with [[Ghost multi-line comment]]", "%%", ""]
        if i % 20 == 11 and self.plan.duplicates:
            dup = self.plan.duplicates[i % len(self.plan.duplicates)]
            out += [f"Compare [[{dup}]], a name used in two folders.", ""]
        if i % 8 == 3:
            out += [f"See also [the docs](https://example.org/{i}) and [[{self.pick(p).ref}]].", ""]
        return out

    def moc(self, m: Planned) -> str:
        notes = self.plan.notes
        tags = ["moc", "type/moc"]
        out = [self.frontmatter(m, "MOC", tags, []), "## Summary", ""]
        out += [f"Map of content: {len(m.members)} notes.", "", "## Details", ""]
        by_folder: dict[str, list[int]] = {}
        for idx in m.members:
            by_folder.setdefault(notes[idx].folder, []).append(idx)
        for folder in sorted(by_folder):
            out += [f"### {folder}", ""]
            out += [f"- [[{notes[idx].ref}]]" for idx in by_folder[folder]]
            out.append("")
        out += ["## Related", ""]
        others = [o for o in self.plan.mocs if o is not m][:3]
        out += [f"- [[{o.ref}]]" for o in others] or ["- [[#Summary]]"]
        return "\n".join(out) + "\n"


def generate(n: int, out: Path, seed: int = 1) -> None:
    """Write a vault of `n` notes (MOCs included) plus a few attachments into `out`.

    `out` must be missing or empty: the generator never mixes with other files.
    """
    if n < 10:
        raise ValueError("n must be at least 10")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    rng = random.Random(seed)
    plan = _plan(n, rng)
    writer = _Writer(plan, rng)
    files: dict[str, bytes] = {}
    for p in plan.notes:
        files[p.path] = writer.note(p).encode("utf-8")
    for m in plan.mocs:
        files[m.path] = writer.moc(m).encode("utf-8")
    for att in plan.attachments:
        files[att] = PNG_BYTES
    files[plan.pdf] = PDF_BYTES
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of notes, MOCs included (>= 10)")
    parser.add_argument("outdir", type=Path, help="output folder (missing or empty)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    try:
        generate(args.n, args.outdir, args.seed)
    except (ValueError, FileExistsError) as exc:
        print(f"generate_vault: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
