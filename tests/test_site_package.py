"""The site's templates and assets ship in the package: a wheel holds only the files that
`[tool.setuptools.package-data]` names, and `kbtool build` from a plain `pip install`
fails without one of them (an editable install reads the source tree and hides it)."""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent


def test_every_template_and_asset_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kbtool"]
    package = ROOT / "kbtool"
    shipped = [
        f.relative_to(package).as_posix()
        for folder in ("site/templates", "site/static")
        for f in (package / folder).iterdir()
        if f.is_file()
    ]
    assert {"site/templates/feed.xml", "site/templates/note.html", "site/static/site.js"} <= set(
        shipped
    )
    missing = [f for f in shipped if not any(PurePosixPath(f).match(p) for p in patterns)]
    assert missing == []
