"""The search index: static JSON shards that a small script loads only when a search runs.

Words are lower-cased runs of letters and digits (the script splits a query
the same way). A word's postings (note number, score) sit in the shard of
its first two characters, so a query loads one small shard per word, and a
prefix of the last word (typing in progress) matches in the same shard. The
notes' titles, URLs and excerpts sit in shards of `DOCS_PER_SHARD`, loaded
only for the results shown. No page carries any of it.

Score: a title word counts 10, an alias 8, a tag 6, a heading 3, body text 1,
each by how often it occurs (capped), so a note about a word ranks above one
that mentions it.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TAG = re.compile(r"<[^>]+>")
DOCS_PER_SHARD = 200
WEIGHTS = {"title": 10, "alias": 8, "tag": 6, "heading": 3, "text": 1}
MAX_COUNT = 5
EXCERPT_CHARS = 240


def words(text: str) -> list[str]:
    """The index's words of a text (two characters or more)."""
    return [w for w in _WORD.findall(text.lower()) if len(w) >= 2]


def shard_key(word: str) -> str:
    """The shard file of a word: its first two characters as UTF-8 hex (a safe file name)."""
    return word[:2].encode("utf-8").hex()


def html_text(body_html: str) -> str:
    """The text of rendered HTML (tags out, entities decoded, white space collapsed)."""
    return " ".join(html.unescape(_TAG.sub(" ", body_html)).split())


def entry(
    url: str, title: str, folder: str, fields: dict[str, list[str]], text: str
) -> tuple[list[str], dict[str, int]]:
    """One note's search entry: its document ([url, title, folder, excerpt]) and the score
    of each of its words, from its title, aliases, tags, headings (`fields`) and text."""
    scored: dict[str, int] = defaultdict(int)
    for name, values in (*fields.items(), ("text", [text])):
        weight = WEIGHTS[name]
        counts = Counter(w for value in values for w in words(value))
        for word, count in counts.items():
            scored[word] += weight * min(count, MAX_COUNT)
    return [url, title, folder, text[:EXCERPT_CHARS]], dict(scored)


@dataclass
class SearchIndex:
    docs: list[list[str]] = field(default_factory=list)  # [url, title, folder, excerpt]
    postings: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, doc: list[str], postings: dict[str, int]) -> None:
        """Add one note's entry (from `entry`, or kept from the last build)."""
        number = len(self.docs)
        self.docs.append(doc)
        for word, score in postings.items():
            self.postings[word][number] = score

    def files(self, unchanged: Callable[[str], bool] = lambda _rel: False) -> dict[str, str]:
        """Output path -> JSON text of every shard, and the manifest the script reads first;
        a shard that `unchanged` says the last build wrote as it is now is left out."""
        out: dict[str, str] = {}
        shards: dict[str, list[str]] = defaultdict(list)
        for word in self.postings:
            shards[shard_key(word)].append(word)
        for key, shard_words in shards.items():
            rel = f"search/w/{key}.json"
            if unchanged(rel):
                continue
            content: dict[str, list[int]] = {}
            for word in sorted(shard_words):
                flat: list[int] = []
                for doc, score in sorted(self.postings[word].items()):
                    flat += [doc, score]
                content[word] = flat
            out[rel] = _json(content)
        for start in range(0, len(self.docs), DOCS_PER_SHARD):
            rel = f"search/d/{start // DOCS_PER_SHARD}.json"
            if not unchanged(rel):
                out[rel] = _json(self.docs[start : start + DOCS_PER_SHARD])
        out["search/meta.json"] = _meta(len(self.docs), sorted(shards))
        return out

    def shard_keys(self) -> list[str]:
        """The word shards `files` writes, sorted (the manifest lists them)."""
        return sorted({shard_key(word) for word in self.postings})


#: A note indexed anew: its number, its words' scores before and now.
Change = tuple[int, dict[str, int], dict[str, int]]


def patch_shards(
    shards: list[str],
    old: dict[str, dict[str, list[int]]],
    docs: list[list[str]],
    changes: list[Change],
    touched: set[str],
) -> tuple[dict[str, str], list[str]]:
    """The `touched` shard files of an index whose notes are numbered as before (`shards`:
    its word shards, `old`: the content of those touched, `docs`: every note's document),
    with the `changes` made: byte for byte what `SearchIndex.files` writes for the whole
    index. Also the word shards there are now."""
    keys = set(shards)
    files: dict[str, str] = {}
    for rel in sorted(touched):
        name = rel.rsplit("/", 1)[-1].removesuffix(".json")
        if rel.startswith("search/w/"):
            content = _patched(old.get(name, {}), name, changes)
            if content:
                files[rel] = _json(content)
                keys.add(name)
            else:  # its last word is gone: the file goes (nobody writes it)
                keys.discard(name)
        else:
            start = int(name) * DOCS_PER_SHARD
            files[rel] = _json(docs[start : start + DOCS_PER_SHARD])
    files["search/meta.json"] = _meta(len(docs), sorted(keys))
    return files, sorted(keys)


def _patched(
    content: dict[str, list[int]], key: str, changes: list[Change]
) -> dict[str, list[int]]:
    """A word shard (word -> [note, score, note, score, ...]) with the changed notes' old
    scores out and their new ones in, words and notes in order."""
    redone: dict[str, dict[int, int]] = {}

    def scores(word: str) -> dict[int, int]:
        if word not in redone:
            flat = content.get(word, [])
            redone[word] = dict(zip(flat[::2], flat[1::2], strict=True))
        return redone[word]

    for number, before, after in changes:
        for word in before:
            if shard_key(word) == key:
                scores(word).pop(number, None)
        for word, score in after.items():
            if shard_key(word) == key:
                scores(word)[number] = score
    result = dict(content)
    for word, found in redone.items():
        if found:
            result[word] = [n for pair in sorted(found.items()) for n in pair]
        else:
            result.pop(word, None)
    return {word: result[word] for word in sorted(result)}


def _meta(docs: int, shards: list[str]) -> str:
    return _json({"docsPerShard": DOCS_PER_SHARD, "docs": docs, "shards": shards})


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
