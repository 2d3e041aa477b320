"""The README's GitHub Pages workflow: its build step, run as Actions runs it, on the
sample vault as the repository's root, publishes a site under the Pages address."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES_URL = "https://owner.github.io/notes"  # what actions/configure-pages gives as base_url


def _workflow() -> dict[str, object]:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(# \.github/workflows/site\.yml\n.*?)```", readme, re.S)
    assert block is not None, "the README shows no .github/workflows/site.yml"
    loaded = yaml.safe_load(block[1])
    assert isinstance(loaded, dict)
    return loaded


def test_the_readme_pages_workflow_builds_the_vault(tmp_path: Path) -> None:
    steps = _workflow()["jobs"]["build"]["steps"]  # type: ignore[index]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    (build,) = [s["run"] for s in steps if "kbtool build" in s.get("run", "")]
    (upload,) = [s["with"]["path"] for s in steps if "upload-pages-artifact" in s.get("uses", "")]
    pages = next(s for s in steps if "configure-pages" in s.get("uses", ""))
    expressions = {
        f"${{{{ steps.{pages['id']}.outputs.base_url }}}}": PAGES_URL,
        "${{ runner.temp }}": str(tmp_path / "runner"),
    }
    for expression, value in expressions.items():
        build, upload = build.replace(expression, value), upload.replace(expression, value)
    assert "${{" not in build + upload
    repository = tmp_path / "repo"  # the checkout: the vault is the repository's root
    shutil.copytree(ROOT / "vault", repository)
    (tmp_path / "runner").mkdir()
    env = {
        **os.environ,
        "RUNNER_TEMP": str(tmp_path / "runner"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    result = subprocess.run(
        ["bash", "-e", "-c", build], cwd=repository, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    site = Path(upload)
    assert (site / "index.html").is_file() and (site / "404.html").is_file()
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    locs = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert f"{PAGES_URL}/mocs/moc-kubernetes-networking.html" in locs
    assert all((site / loc.removeprefix(PAGES_URL + "/")).is_file() for loc in locs)
    page = (site / "index.html").read_text("utf-8")
    assert f'href="{PAGES_URL}/assets/style.css"' in page


def test_the_screenshots_are_in_docs_and_the_readme_shows_one() -> None:
    """Issue 10 §6: note, graph and review pages, desktop and phone, light and dark
    (`python docs/screenshots.py` takes them again)."""
    sizes = {"desktop": (1280, 860), "phone": (390, 844)}
    for page in ("note", "graph", "review"):
        for size, (width, height) in sizes.items():
            for scheme in ("light", "dark"):
                data = (ROOT / "docs" / f"site-{page}-{size}-{scheme}.png").read_bytes()
                assert data[:8] == b"\x89PNG\r\n\x1a\n"
                assert struct.unpack(">II", data[16:24]) == (width, height)
    readme = (ROOT / "README.md").read_text("utf-8")
    shown = re.findall(r"!\[[^\]]*\]\((docs/site-[^)]+\.png)\)", readme)
    assert shown != [] and all((ROOT / p).is_file() for p in shown)
