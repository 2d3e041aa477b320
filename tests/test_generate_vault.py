"""The benchmark vault generator: deterministic, seed-shaped, every link form present."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from benchmark_scripts import load_script

N = 60
gv = load_script("generate_vault")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("vault")
    gv.generate(N, out, seed=1)
    return _files(out)


@pytest.fixture(scope="module")
def notes(vault: dict[str, bytes]) -> dict[str, str]:
    return {k: v.decode("utf-8") for k, v in vault.items() if k.endswith(".md")}


@pytest.fixture(scope="module")
def text(notes: dict[str, str]) -> str:
    return "\n".join(notes.values())


def test_same_seed_gives_identical_bytes(tmp_path: Path, vault: dict[str, bytes]) -> None:
    gv.generate(N, tmp_path / "again", seed=1)
    assert _files(tmp_path / "again") == vault


def test_other_seed_gives_other_vault(tmp_path: Path, vault: dict[str, bytes]) -> None:
    gv.generate(N, tmp_path / "other", seed=2)
    assert _files(tmp_path / "other") != vault


def test_refuses_non_empty_output(tmp_path: Path) -> None:
    (tmp_path / "keep.md").write_text("mine\n")
    with pytest.raises(FileExistsError):
        gv.generate(N, tmp_path)


def test_cli_writes_vault(tmp_path: Path, vault: dict[str, bytes]) -> None:
    assert gv.main([str(N), str(tmp_path / "cli"), "--seed", "1"]) == 0
    assert _files(tmp_path / "cli") == vault


def test_counts_and_layout(vault: dict[str, bytes], notes: dict[str, str]) -> None:
    assert len(notes) == N
    assert sum(1 for p in notes if p.startswith("MOCs/MOC - ")) == 1
    assert any(p.count("/") == 2 for p in notes), "a folder nested two deep"
    assert len({p.rsplit("/", 1)[0] for p in notes}) >= 3
    pngs = [p for p in vault if p.endswith(".png")]
    assert pngs and all(vault[p].startswith(b"\x89PNG") for p in pngs)


def test_files_are_lf_with_trailing_newline(notes: dict[str, str]) -> None:
    for body in notes.values():
        assert "\r" not in body and body.endswith("\n") and not body.endswith("\n\n")


def test_notes_are_seed_shaped(notes: dict[str, str]) -> None:
    for path, body in notes.items():
        _, fm, rest = body.split("---\n", 2)
        data = yaml.load(fm, Loader=yaml.CSafeLoader)
        assert tuple(data) == gv.FRONTMATTER_KEYS, path
        assert data["title"] == path.rsplit("/", 1)[-1][:-3]
        assert f"type/{data['type'].lower()}" in data["tags"]
        for section in ("## Summary", "## Details", "### ", "## Related"):
            assert section in rest, (path, section)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\[\[[^\]|#]+\]\]",  # plain
        r"\[\[[^\]|#]+\|[a-z]",  # |display
        r"\[\[[^\]#]+#[^\]^#]+\]\]",  # #heading
        r"\[\[[^\]#]+#Details#[^\]]+\]\]",  # chained heading
        r"\[\[[^\]#]+#\^[0-9a-f]{6}\]\]",  # #^block
        r"\[\[#[^\]]+\]\]",  # same-note heading
        r"!\[\[[^\]|.]+\]\]",  # note embed
        r"!\[\[diagram-\d{3}\.png\|100\]\]",  # image embed with width
        r"!\[\[diagram-\d{3}\.png\|100x145\]\]",  # image embed with size
        r"!\[\[[^\]]+\.pdf#page=3\]\]",  # pdf page
        r"\]\([^)<]*%20[^)]*\.md\)",  # Markdown link, percent-encoded
        r"\]\(<[^>]+\.md>\)",  # Markdown link in <...>
        r"\]\(https://",  # external Markdown link
        r"\[\[[^\]]+\\\|here\]\]",  # \| inside a table
        r'see_also: \["\[\[',  # property link
        r"```\w+\n# \[\[Not a link in code\]\]",  # link-like text in fenced code
        r"`\[\[Inline code is no link\]\]`",  # ... in inline code
        r"\n    \[\[Not a link, indented code\]\]",  # ... in indented code
        r"%% TODO: compare with \[\[",  # inline comment
        r"%%\nDraft: merge with \[\[",  # multi-line comment
        r"<!-- \[\[",  # HTML comment
        r"\$O\(n \\log n\)\$",  # inline math
        r"\$\$\n",  # display math
        r" #[a-z][a-z-]*(/[a-z-]+)*[ .]",  # body tag
    ],
)
def test_every_form_is_present(text: str, pattern: str) -> None:
    assert re.search(pattern, text), pattern


def _index(notes: dict[str, str]) -> dict[str, list[str]]:
    """Name and folder/name (lower-cased, no `.md`) to the notes they reach."""
    index: dict[str, list[str]] = {}
    for path in notes:
        stem = path[:-3].lower()
        index.setdefault(stem, []).append(path)
        index.setdefault(stem.rsplit("/", 1)[-1], []).append(path)
    return index


_NOT_LINKS = re.compile(r"```.*?```|`[^`\n]*`|%%.*?%%|<!--.*?-->|\n    [^\n]*", re.S)
_WIKI = re.compile(r"\[\[([^\]|#\\]*)(#[^\]|]*)?(?:\\?\|[^\]]*)?\]\]")
_MD = re.compile(r"\]\(<?([^)>]+\.md)>?\)")


def _links(body: str) -> list[tuple[str, str]]:
    """(path, subpath) of every note link, the generator's text being regular enough."""
    visible = _NOT_LINKS.sub("", body)
    found = [(m.group(1).strip(), m.group(2) or "") for m in _WIKI.finditer(visible)]
    found += [(unquote(m.group(1)), "") for m in _MD.finditer(visible)]
    return [(p.removesuffix(".md"), s) for p, s in found if p and not p.endswith((".png", ".pdf"))]


def test_about_one_percent_of_links_are_broken(notes: dict[str, str]) -> None:
    index = _index(notes)
    links = [link for body in notes.values() for link in _links(body)]
    broken = [p for p, _ in links if p.lower() not in index]
    assert len(links) > 10 * N
    assert 0.005 <= len(broken) / len(links) <= 0.015, (len(broken), len(links))


def test_duplicate_names_live_in_different_folders(notes: dict[str, str]) -> None:
    index = _index(notes)
    dups = [paths for key, paths in index.items() if "/" not in key and len(paths) > 1]
    assert dups
    assert all(len({p.rsplit("/", 1)[0] for p in paths}) == len(paths) for paths in dups)


def test_block_and_heading_links_reach_their_target(notes: dict[str, str]) -> None:
    index = _index(notes)
    checked = 0
    for body in notes.values():
        for path, subpath in _links(body):
            targets = index.get(path.lower())
            if not subpath or not targets:
                continue
            assert len(targets) == 1, f"subpath link to an ambiguous name: {path}"
            target = notes[targets[0]]
            if subpath.startswith("#^"):
                assert f" ^{subpath[2:]}\n" in target
            else:
                last = subpath.rsplit("#", 1)[-1]
                headings = [gv._strip_heading(h) for h in re.findall(r"^#+ (.*)$", target, re.M)]
                assert gv._strip_heading(last).lower() in [h.lower() for h in headings]
            checked += 1
    assert checked > N


def test_embedded_attachments_exist(vault: dict[str, bytes], text: str) -> None:
    names = {p.rsplit("/", 1)[-1] for p in vault}
    embeds = re.findall(r"!\[\[([^\]|#]+\.(?:png|pdf))", text)
    assert embeds
    assert {e for e in embeds if "fake" not in e} <= names
