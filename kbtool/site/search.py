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
        meta = {"docsPerShard": DOCS_PER_SHARD, "docs": len(self.docs), "shards": sorted(shards)}
        out["search/meta.json"] = _json(meta)
        return out


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
