"""MOCs that reach one another reach the same notes, so the index lists what they reach
once per group, not once per MOC: its size grows with the vault, not with MOCs times
notes (issue 11 §6). A MOC alone in its group keeps its own section; a MOC that reaches
another without a link back (a hierarchy) still lists what the other reaches."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from benchmark_scripts import load_script
from click.testing import CliRunner

from kbtool.cli import main
from kbtool.index.build import Index, build_index
from kbtool.index.render_json import index_data, json_pieces
from kbtool.index.render_md import markdown_pieces, render_markdown
from kbtool.lint.engine import check
from kbtool.vault.load import load_vault

TODAY = dt.date(2026, 12, 1)

#: Alpha, Beta and Gamma in a ring; Delta and Epsilon link each other, and Delta links
#: Child, which does not link back; Lone shares a1 with the ring; Empty links nothing.
VAULT = {
    "MOC Alpha.md": "Alpha map.\n\n[[MOC Beta]] [[a1]]\n",
    "MOC Beta.md": "Beta map.\n\n[[MOC Gamma]]\n",
    "MOC Gamma.md": "Gamma map.\n\n[[MOC Alpha]] [[a2]]\n",
    "MOC Delta.md": "Delta map.\n\n[[MOC Epsilon]] [[b1]] [[MOC Child]]\n",
    "MOC Epsilon.md": "Epsilon map.\n\n[[MOC Delta]]\n",
    "MOC Child.md": "Child map.\n\n[[c1]]\n",
    "MOC Lone.md": "Lone map.\n\n[[a1]] [[d1]]\n",
    "MOC Empty.md": "Nothing yet.\n",
    "a1.md": "First a.\n",
    "a2.md": "Second a, see [[a1]].\n",
    "b1.md": "First b.\n",
    "c1.md": "First c.\n",
    "d1.md": "First d.\n",
    "loose.md": "Loose note.\n",
}

MAPS = """\
## Maps of content

### [[MOC Alpha]], [[MOC Beta]] and [[MOC Gamma]] (4)

These 3 MOCs reach one another: each reaches the others and the same 2 notes, listed once below.

- [[MOC Alpha]] — Alpha map.
- [[MOC Beta]] — Beta map.
- [[MOC Gamma]] — Gamma map.

Notes they reach (2):

- [[a1]] — First a.
- [[a2]] — Second a, see a1.

### [[MOC Child]] (1)

Child map.

- [[c1]] — First c.

### [[MOC Delta]] and [[MOC Epsilon]] (4)

These 2 MOCs reach each other: each reaches the other and the same 3 notes, listed once below.

- [[MOC Delta]] — Delta map.
- [[MOC Epsilon]] — Epsilon map.

Notes they reach (3):

- [[b1]] — First b.
- [[c1]] — First c.
- [[MOC Child]] — Child map.

### [[MOC Empty]] (0)

Nothing yet.

No notes reached.

### [[MOC Lone]] (2)

Lone map.

- [[a1]] — First a.
- [[d1]] — First d.

### Not reached from any MOC (1)

- [[loose]] — Loose note.

## Recently modified
"""


def _vault(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def index(tmp_path: Path) -> Index:
    return build_index(load_vault(_vault(tmp_path / "v", VAULT), cache=False), today=TODAY)


def test_markdown_lists_each_group_once_and_passes_check_in_the_vault(tmp_path: Path) -> None:
    root = _vault(tmp_path / "v", VAULT)
    result = CliRunner().invoke(main, ["index", str(root), "-o", str(root / "Index.md")])
    assert (result.exit_code, result.output) == (0, "")
    text = (root / "Index.md").read_text(encoding="utf-8")
    start = text.index("## Maps of content")
    assert text[start : text.index("## Recently modified") + len("## Recently modified\n")] == MAPS
    vault = load_vault(root)
    found = [d.code for d in check(vault, today=TODAY).diagnostics if d.path == "Index.md"]
    assert [code for code in found if code.startswith("KB2")] == []  # no broken or ambiguous link
    note = vault.notes["Index.md"]
    targets = {vault.resolver.resolve(link.path, "Index.md").target for link in note.links}
    assert targets == set(vault.notes) - {"Index.md"}


def test_json_lists_each_group_once_and_each_moc_refers_to_its_group(index: Index) -> None:
    data = index_data(index)
    assert data["mocs"] == [
        {"path": "MOC Alpha.md", "group": 0, "count": 4},
        {"path": "MOC Beta.md", "group": 0, "count": 4},
        {"path": "MOC Child.md", "group": 1, "count": 1},
        {"path": "MOC Delta.md", "group": 2, "count": 4},
        {"path": "MOC Empty.md", "group": 3, "count": 0},
        {"path": "MOC Epsilon.md", "group": 2, "count": 4},
        {"path": "MOC Gamma.md", "group": 0, "count": 4},
        {"path": "MOC Lone.md", "group": 4, "count": 2},
    ]
    assert data["moc_groups"] == [
        {
            "mocs": ["MOC Alpha.md", "MOC Beta.md", "MOC Gamma.md"],
            "reaches": ["a1.md", "a2.md", "MOC Alpha.md", "MOC Beta.md", "MOC Gamma.md"],
        },
        {"mocs": ["MOC Child.md"], "reaches": ["c1.md"]},
        {
            "mocs": ["MOC Delta.md", "MOC Epsilon.md"],
            "reaches": ["b1.md", "c1.md", "MOC Child.md", "MOC Delta.md", "MOC Epsilon.md"],
        },
        {"mocs": ["MOC Empty.md"], "reaches": []},
        {"mocs": ["MOC Lone.md"], "reaches": ["a1.md", "d1.md"]},
    ]
    assert data["unreached"] == ["loose.md"]
    assert list(data).index("moc_groups") == list(data).index("mocs") + 1


def test_what_a_moc_reaches_is_its_groups_reach_without_itself(index: Index) -> None:
    """The rule the README gives scripts, checked against the index's own per-MOC view."""
    data = json.loads("".join(json_pieces(index)))
    groups = data["moc_groups"]
    for moc in data["mocs"]:
        reaches = [p for p in groups[moc["group"]]["reaches"] if p != moc["path"]]
        assert len(reaches) == moc["count"]
        assert tuple(reaches) == next(m.reaches for m in index.mocs if m.path == moc["path"])
    epsilon = [p for p in groups[2]["reaches"] if p != "MOC Epsilon.md"]
    assert epsilon == ["b1.md", "c1.md", "MOC Child.md", "MOC Delta.md"]


def test_a_large_group_names_its_first_three_mocs_in_the_heading(tmp_path: Path) -> None:
    names = [f"MOC {letter}" for letter in "ABCDE"]
    files = {f"{n}.md": f"{n} map.\n\n[[{names[(i + 1) % 5]}]]\n" for i, n in enumerate(names)}
    text = render_markdown(build_index(load_vault(_vault(tmp_path / "v", files)), today=TODAY))
    assert "\n### [[MOC A]], [[MOC B]], [[MOC C]] and 2 more MOCs (4)\n" in text
    assert "These 5 MOCs reach one another: each reaches the others and no other note.\n" in text
    assert "Notes they reach" not in text
    assert text.count("- [[MOC E]] — MOC E map.") == 2  # under its type and in its group


def _strings(value: object) -> int:
    """How many strings `value` holds, at any depth."""
    if isinstance(value, str):
        return 1
    if isinstance(value, dict):
        return sum(map(_strings, value.values()))
    return sum(map(_strings, value)) if isinstance(value, list) else 0


def _sizes(root: Path) -> tuple[int, int, int, int]:
    """Bytes of the Markdown and of the JSON, list items of the Markdown, and paths that
    the JSON's `mocs` and `moc_groups` name."""
    index = build_index(load_vault(root, cache=False), today=TODAY)
    markdown = "".join(markdown_pieces(index))
    data = json.loads("".join(json_pieces(index)))
    items = sum(line.startswith("- ") for line in markdown.splitlines())
    named = _strings([data["mocs"], data.get("moc_groups")])
    return len(markdown.encode()), len(json.dumps(data).encode()), items, named


def test_index_size_grows_linearly_with_the_generated_vault(tmp_path: Path) -> None:
    """Generated seed-shaped vaults of 200 and 400 notes (2 and 4 MOCs, all in one
    strongly connected group): twice the notes, about twice the index, by every count.
    With one list per MOC the Markdown grew 3.3 times, its list items too, the JSON
    2.3 times and the paths under its `mocs` 4 times."""
    generate = load_script("generate_vault").generate
    small, large = [], []
    for n, sizes in ((200, small), (400, large)):
        generate(n, tmp_path / str(n), seed=1)
        sizes.extend(_sizes(tmp_path / str(n)))
    assert small[2] > 400 and small[3] > 200
    for before, after in zip(small, large, strict=True):
        assert after <= 2.1 * before, (small, large)
