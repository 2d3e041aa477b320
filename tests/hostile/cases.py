"""The hostile inputs: one small vault each, a good note beside one bad file.

Every case keeps `Good.md` (one resolved link, one broken link at a known
line) and `Other.md`, so a test can prove that every other note was still
checked. `expect` names codes the hostile note must get; `note` is how `show`
names the hostile note (None when it is not a note at all).
"""

from __future__ import annotations

from dataclasses import dataclass, field

GOOD = (
    b"---\ntitle: Good\ntype: Fact\ncreated: 2026-01-01\ntags: [a]\n---\n"
    b"Links to [[Other]] and to [[Nowhere at all]].\n"
)
GOOD_BROKEN_LINE = 7  # the line of [[Nowhere at all]] in Good.md
OTHER = b"---\ntitle: Other\n---\nBack to [[Good]].\n"


@dataclass(frozen=True)
class Case:
    """One hostile input: extra files beside Good.md and Other.md."""

    name: str
    files: dict[str, bytes]
    expect: frozenset[str] = frozenset()  # codes the hostile path must carry
    path: str = "Hostile.md"  # where those codes are reported
    note: str | None = "Hostile"  # how `show` names it; None: not a note
    notes: int = 3  # notes a check must count
    config: bytes | None = None  # a kbtool.toml, when the case is about configuration
    config_fails: bool = False  # exit 2 with one line is the right answer
    fails_in: frozenset[str] = frozenset()  # only these commands fail (others ignore the key)
    extra: dict[str, bytes] = field(default_factory=dict)
    heavy: bool = False  # a large input: run the core commands only, to keep the suite short


def _fm(body: str) -> bytes:
    return body.encode("utf-8")


def _deep_list(depth: int) -> bytes:
    return ("---\nx: " + "[" * depth + "]" * depth + "\n---\n").encode()


def _deep_block_list(depth: int) -> bytes:
    lines = ["---", "x:"] + [" " * (2 * i) + "-" for i in range(1, depth)] + ["---", ""]
    return "\n".join(lines).encode()


CASES: list[Case] = [
    # bytes that are not text
    Case("binary", {"Hostile.md": bytes(range(256)) * 8}, frozenset({"KB001"})),
    Case("invalid utf-8", {"Hostile.md": b"---\ntitle: \xff\xfe bad\n---\n"}, frozenset({"KB001"})),
    Case("utf-16 with bom", {"Hostile.md": "---\ntitle: x\n---\nhi\n".encode("utf-16")}),
    Case("nul byte", {"Hostile.md": b"---\ntitle: a\x00b\n---\n[[Good]]\x00\n"}),
    Case("cr-only line ends", {"Hostile.md": b"---\rtitle: x\r---\r[[Good]] and [[Gone]]\r"}),
    Case("empty file", {"Hostile.md": b""}, frozenset({"KB005"})),
    Case("only a bom", {"Hostile.md": b"\xef\xbb\xbf"}),
    Case("only dashes", {"Hostile.md": b"---\n"}, frozenset({"KB006"})),
    # frontmatter shapes
    Case("list frontmatter", {"Hostile.md": _fm("---\n- a\n- b\n---\n")}, frozenset({"KB003"})),
    Case("scalar frontmatter", {"Hostile.md": _fm("---\njust text\n---\n")}, frozenset({"KB003"})),
    Case("duplicate keys", {"Hostile.md": _fm("---\na: 1\na: 2\n---\n")}, frozenset({"KB004"})),
    Case("non-string keys", {"Hostile.md": _fm("---\n1: a\n2.5: b\ntrue: c\nnull: d\n---\n")}),
    Case("complex key", {"Hostile.md": _fm("---\n? [a, b]\n: c\n? {x: 1}\n: d\n---\n")}),
    Case(
        "python tag",
        {"Hostile.md": _fm("---\nx: !!python/object/apply:os.system ['echo pwned']\n---\n")},
        frozenset({"KB002"}),
    ),
    Case("unknown tag", {"Hostile.md": _fm("---\nx: !custom thing\n---\n")}, frozenset({"KB002"})),
    Case("merge keys", {"Hostile.md": _fm("---\nbase: &b {title: x}\nn:\n  <<: *b\n---\n")}),
    Case("merge of a scalar", {"Hostile.md": _fm("---\n<<: 5\n---\n")}),
    Case("anchors", {"Hostile.md": _fm("---\na: &x hello\nb: *x\ntags: &t [a]\nc: *t\n---\n")}),
    Case("undefined alias", {"Hostile.md": _fm("---\na: *nope\n---\n")}, frozenset({"KB002"})),
    Case("deep flow list", {"Hostile.md": _deep_list(3000)}),
    Case("deep block list", {"Hostile.md": _deep_block_list(400)}),
    Case("long key", {"Hostile.md": _fm("---\n" + "k" * 100_000 + ": v\n---\n")}),
    Case(
        "many keys",
        {"Hostile.md": _fm("---\n" + "".join(f"k{i}: {i}\n" for i in range(20_000)) + "---\n")},
        heavy=True,
    ),
    # bodies
    Case(
        "huge note",
        {
            "Hostile.md": b"---\ntitle: big\n---\n"
            + (b"plain words of a long note\n" * 99 + b"[[Good]]\n") * 1_000
        },
        heavy=True,
    ),
    Case("200,000 links", {"Hostile.md": b"[[Good]] " * 200_000}, heavy=True),
    Case(
        "20,000 broken links", {"Hostile.md": b"[[x]]\n" * 20_000}, frozenset({"KB201"}), heavy=True
    ),
    Case("deep quotes", {"Hostile.md": b">" * 5_000 + b" [[Good]]\n"}),
    Case(
        "deep list items",
        {"Hostile.md": "".join("  " * i + "- x\n" for i in range(2_000)).encode()},
    ),
    Case("unbalanced [[", {"Hostile.md": b"[[" * 50_000 + b"\n[[Good\n]] ]] [[\n"}),
    Case("unbalanced %%", {"Hostile.md": b"%% open\n[[Good]]\n" + b"text %%\n%%" * 1000}),
    Case("unbalanced $$", {"Hostile.md": b"$$\n[[Good]]\n" + b"$ a $$ b\n" * 1000}),
    Case("unbalanced fence", {"Hostile.md": b"```\n[[Good]]\n~~~\n" * 1000}),
    Case("unclosed html comment", {"Hostile.md": b"<!-- [[Good]]\n" * 1000}),
    Case("long line", {"Hostile.md": b"a" * 2_000_000 + b" [[Good]]\n"}, heavy=True),
    Case(
        "hostile link texts",
        {
            "Hostile.md": _fm(
                "[[a##]] [[# #]] [[#]] [[|]] [[^]] [[#^]] [[##^^]] [[a#^b#c]]\n"
                "![[]] ![[|100x]] [[\\|]]\n"
            )
        },
    ),
    Case(
        "traversal links",
        {
            "Hostile.md": _fm(
                "[[../../etc/passwd]] [x](../../../etc/passwd) ![[/etc/passwd]]\n"
                "[y](%2e%2e/%2e%2e/etc/passwd) [z](<../Good.md>) [w](/../../Good.md)\n"
            )
        },
        frozenset({"KB201"}),
    ),
    Case(
        "markdown link corners",
        {"Hostile.md": _fm("[a](%ZZ) [b](<>) [c]( ) [d](#) [e](Good.md#%) [f](Good.md#^)\n")},
    ),
    # names
    Case("emoji name", {"Hostile 😀.md": b"[[Good]]\n"}, path="Hostile 😀.md", note="Hostile 😀"),
    Case(
        "nfd name",
        {"Cafe\u0301.md": "[[Good]] [[Caf\u00e9]]\n".encode()},
        path="Caf\u00e9.md",
        note="Caf\u00e9",
    ),
    Case(
        "link characters in name", {"a#b^c|d[e].md": b"[[Good]]\n"}, path="a#b^c|d[e].md", note=None
    ),
    Case(
        "html in name",
        {"<img src=x onerror=alert(1)>.md": b"[[Good]]\n"},
        path="<img src=x onerror=alert(1)>.md",
        note=None,
    ),
    Case("newline in name", {"line\nbreak.md": b"[[Good]]\n"}, path="line\nbreak.md", note=None),
    Case(
        "long name", {("n" * 250) + ".md": b"[[Good]]\n"}, path=("n" * 250) + ".md", note="n" * 250
    ),
]

CONFIG_CASES: list[Case] = [
    Case("toml not toml", {}, config=b"this is [not toml", config_fails=True, note=None, notes=2),
    Case("toml binary", {}, config=bytes(range(256)), config_fails=True, note=None, notes=2),
    Case(
        "toml wrong types",
        {},
        config=b"exclude = 5\n[schema]\nrequired = 'title'\n",
        config_fails=True,
        note=None,
        notes=2,
    ),
    Case(
        "toml unknown key", {}, config=b"nonsense = true\n", config_fails=True, note=None, notes=2
    ),
    Case(
        "toml bad code",
        {},
        config=b"[rules]\nignore = ['KB999']\n",
        config_fails=True,
        fails_in=frozenset({"check"}),
        note=None,
        notes=2,
    ),
    Case(
        "toml bad interval",
        {},
        config=b"[review]\ndefault_interval = 'soon'\n",
        config_fails=True,
        note=None,
        notes=2,
    ),
    Case(
        "toml deep nesting",
        {},
        config=b"x = " + b"[" * 2000 + b"]" * 2000 + b"\n",
        config_fails=True,
        note=None,
        notes=2,
    ),
    Case("toml exclude everything", {}, config=b'exclude = ["**", "*", "/"]\n', note=None, notes=0),
]
