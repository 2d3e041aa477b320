"""What kbtool takes from a vault's `.obsidian/` folder, what kbtool.toml overrides, and
how it survives files there that are not what Obsidian writes.

The fixture vault `fixtures/obsidian` names `Templates` in templates.json (and
`Projects` in Templater's data.json, which the core plugin's setting beats), types
`due` as a date and `rating` as a number, and asks for absolute new links.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtool.cli import main
from kbtool.config import ConfigError, build_config, load_config
from kbtool.config.obsidian import MAX_SETTINGS_BYTES, TEMPLATER_DATA, read_obsidian_settings
from kbtool.lint.engine import check
from kbtool.vault.load import load_vault

FIXTURE = Path(__file__).parent / "fixtures" / "obsidian"
TODAY = dt.date(2026, 11, 26)
TEMPLATES_NOTICE = (
    "not checking the notes in Templates/: the templates folder (from "
    '.obsidian/templates.json); set [obsidian] templates_folder = "" in kbtool.toml '
    "to check them"
)


def _findings(root: Path, toml: str = "") -> list[tuple[str, int, str, str]]:
    vault = load_vault(root, config=build_config(root, tomllib.loads(toml)))
    result = check(vault, today=TODAY)
    return [(d.path, d.line, d.code, d.message) for d in result.diagnostics]


def test_settings_read_from_the_fixture() -> None:
    settings = read_obsidian_settings(FIXTURE)
    assert settings.templates_folder == "Templates"
    assert settings.templates_source == ".obsidian/templates.json"
    assert settings.attachment_folder == "Files"
    assert settings.new_link_format == "absolute"
    assert settings.property_types == {"due": "date", "rating": "number"}
    assert settings.notices == (
        "ignored the type of 1 property in .obsidian/types.json that Obsidian does not "
        "define: 'mood'",
        "read .obsidian/app.json: attachment folder 'Files', new link format 'absolute'",
        "read .obsidian/types.json: the types of 2 properties",
    )


def test_templates_notes_are_left_out_but_their_files_stay_targets() -> None:
    vault = load_vault(FIXTURE)
    # Templates/Daily.md holds `created: {{date}}` and [[Nowhere]]: not loaded. Projects/,
    # which only Templater names, is checked: templates.json wins.
    assert list(vault.notes) == ["Home.md", "Projects/Later.md", "Projects/Plan.md"]
    # Templates/Board.base is a file Home.md embeds; it stays an attachment.
    assert vault.attachments == ["Files/chart.png", "Templates/Board.base"]
    assert vault.resolver.resolve("Board.base", "Home.md").target == "Templates/Board.base"


def test_templates_folder_from_templater_when_the_core_plugin_names_none(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "v")
    (tmp_path / "v" / ".obsidian" / "templates.json").unlink()
    vault = load_vault(tmp_path / "v")
    assert list(vault.notes) == ["Home.md", "Templates/Daily.md"]
    assert vault.config.obsidian.templates_source == (
        ".obsidian/plugins/templater-obsidian/data.json"
    )


def test_types_json_makes_kb102_and_replaces_the_majority_of_kb110() -> None:
    # `due: soon` (Projects/Plan.md:3) against two dates: Obsidian types `due` as a date,
    # so it is KB102 and not KB110; kbtool.toml's [schema.fields] overrides the type.
    assert _findings(FIXTURE) == [
        (
            "Home.md",
            7,
            "KB201",
            "[[Roadmap]] matches no note; 'Roadmap' is an alias of Projects/Plan.md, but "
            "aliases are not link targets: write [[Projects/Plan|Roadmap]]",
        ),
        (
            "Projects/Plan.md",
            3,
            "KB102",
            "'due': 'soon' is text; expected a date such as 2025-11-03",
        ),
    ]
    overridden = _findings(FIXTURE, '[schema.fields]\ndue = "any"')
    assert [f[2] for f in overridden] == ["KB201"]
    ignored = _findings(FIXTURE, "[obsidian]\nread_settings = false")
    assert ("Projects/Plan.md", 3, "KB110", "'due' is text here but date in 2 of 3 notes") in [
        f for f in ignored
    ]
    assert "KB102" not in {f[2] for f in ignored}


def test_obsidian_datetime_accepts_a_date_and_date_rejects_a_time(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    types = '{"types": {"when": "datetime", "day": "date", "n": "number", "ok": "checkbox"}}'
    (tmp_path / ".obsidian" / "types.json").write_text(types, "utf-8")
    (tmp_path / "A.md").write_text(
        "---\nwhen: 2024-01-01\nday: 2024-01-01T10:00:00\nn: five\nok: yes please\n---\n",
        "utf-8",
    )
    assert [(f[1], f[3]) for f in _findings(tmp_path) if f[2] == "KB102"] == [
        (
            3,
            "'day': datetime.datetime(2024, 1, 1, 10, 0) is a date and time; expected a date "
            "such as 2025-11-03",
        ),
        (4, "'n': 'five' is text; expected a number"),
        (5, "'ok': 'yes please' is text; expected true or false"),
    ]


def test_new_link_format_shapes_the_alias_fix() -> None:
    fixes = {
        fmt: check(
            load_vault(FIXTURE, config=build_config(FIXTURE, {"obsidian": fmt_table})),
            select=["KB201"],
            today=TODAY,
        ).diagnostics[0]
        for fmt, fmt_table in {
            "app.json": {},
            "shortest": {"new_link_format": "shortest"},
        }.items()
    }
    assert fixes["app.json"].fix is not None and fixes["shortest"].fix is not None
    assert fixes["app.json"].fix.new == "[[Projects/Plan|Roadmap]]"
    assert fixes["shortest"].fix.new == "[[Plan|Roadmap]]"


def test_relative_link_format(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "v")
    (tmp_path / "v" / "Projects" / "Later.md").write_text("See [[Roadmap]].\n", "utf-8")
    config = build_config(tmp_path / "v", {"obsidian": {"new_link_format": "relative"}})
    result = check(load_vault(tmp_path / "v", config=config), select=["KB201"], today=TODAY)
    new = {d.path: d.fix.new for d in result.diagnostics if d.fix}
    assert new == {"Home.md": "[[Projects/Plan|Roadmap]]", "Projects/Later.md": "[[Plan|Roadmap]]"}


def test_kbtool_toml_overrides_the_templates_folder(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "v")
    toml = tmp_path / "v" / "kbtool.toml"
    toml.write_text('[obsidian]\ntemplates_folder = ""\n', "utf-8")
    assert "Templates/Daily.md" in load_vault(tmp_path / "v").notes
    toml.write_text('[obsidian]\ntemplates_folder = "Projects"\n', "utf-8")
    config = load_config(tmp_path / "v")
    assert config.templates_folder == "Projects"
    assert config.notices[-1].startswith(
        "not checking the notes in Projects/: the templates folder (from kbtool.toml"
    )
    assert list(load_vault(tmp_path / "v").notes) == ["Home.md", "Templates/Daily.md"]


def test_verbose_check_says_once_what_is_left_out() -> None:
    result = CliRunner().invoke(main, ["check", "-v", "--no-cache", str(FIXTURE)])
    assert result.exit_code == 1
    assert result.stderr.count("templates folder") == 1
    assert f"kbtool: {TEMPLATES_NOTICE}\n" in result.stderr
    quiet = CliRunner().invoke(main, ["check", "--no-cache", str(FIXTURE)])
    assert quiet.stderr == ""


def test_unknown_obsidian_key_in_kbtool_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "kbtool.toml").write_text("[obsidian]\ntemplate_folder = 'T'\n", "utf-8")
    with pytest.raises(ConfigError, match=r"unknown key 'obsidian.template_folder'"):
        load_config(tmp_path)


# -- files in .obsidian/ that are not what Obsidian writes -----------------------------

HOSTILE = [
    (b"{", "ignored .obsidian/app.json: not valid JSON (Expecting property name"),
    (b"[" * 200_000, "ignored .obsidian/app.json: nested too deeply"),
    (b'{"a": "\xff"}', "ignored .obsidian/app.json: not UTF-8"),
    (b'{"a": ' + b"1" * 5000 + b"}", "ignored .obsidian/app.json: not valid JSON (Exceeds"),
    (b"[1, 2]", "ignored .obsidian/app.json: not a JSON object"),
    (b'{"attachmentFolderPath": 5}', "ignored 'attachmentFolderPath' in .obsidian/app.json: 5"),
    (
        b'{"attachmentFolderPath": "../../etc"}',
        "ignored 'attachmentFolderPath' in .obsidian/app.json: '../../etc'",
    ),
    (b'{"newLinkFormat": "wiki"}', "ignored 'newLinkFormat' in .obsidian/app.json: 'wiki'"),
    (b" " * (MAX_SETTINGS_BYTES + 1), "ignored .obsidian/app.json: larger than the 1 MiB cap"),
]


@pytest.mark.parametrize(("data", "notice"), HOSTILE)
def test_hostile_app_json_is_ignored_with_a_notice(
    tmp_path: Path, data: bytes, notice: str
) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "app.json").write_bytes(data)
    (tmp_path / "Note.md").write_text("# Note\n", "utf-8")
    vault = load_vault(tmp_path)
    assert list(vault.notes) == ["Note.md"]
    assert vault.config.attachment_folder is None
    assert vault.config.new_link_format == "shortest"
    assert [n for n in vault.config.notices if n.startswith(notice)], vault.config.notices


@pytest.mark.parametrize(
    ("name", "data", "notice"),
    [
        ("templates.json", b'{"folder": ["T"]}', "ignored 'folder' in .obsidian/templates.json"),
        ("templates.json", b'{"folder": "../T"}', "ignored 'folder' in .obsidian/templates.json"),
        ("templates.json", b'{"folder": "T\\nx"}', "ignored 'folder' in .obsidian/templates.json"),
        ("types.json", b'{"types": [1]}', "ignored 'types' in .obsidian/types.json"),
        ("types.json", b'{"types": {"a": 3, "b": null}}', "ignored the type of 2 properties"),
    ],
)
def test_hostile_values_are_ignored(tmp_path: Path, name: str, data: bytes, notice: str) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / name).write_bytes(data)
    (tmp_path / "T").mkdir()
    (tmp_path / "T" / "Note.md").write_text("---\na: 1\nb: x\n---\n", "utf-8")
    vault = load_vault(tmp_path)
    assert list(vault.notes) == ["T/Note.md"]
    assert vault.config.property_kinds == {}
    assert [n for n in vault.config.notices if n.startswith(notice)], vault.config.notices


def test_fifo_and_folder_in_place_of_settings_neither_hang_nor_crash(tmp_path: Path) -> None:
    (tmp_path / ".obsidian" / "types.json").mkdir(parents=True)
    os.mkfifo(tmp_path / ".obsidian" / "app.json")
    vault = load_vault(tmp_path)
    assert vault.config.notices == (
        "ignored .obsidian/app.json: a FIFO, not a regular file",
        "ignored .obsidian/types.json: a folder, not a regular file",
    )


def test_obsidian_as_a_file_is_no_settings(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").write_text("{}", "utf-8")
    assert load_vault(tmp_path).config.notices == ()


# Any JSON value Obsidian (or anything else) could leave in each file, and any bytes.
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
_SETTINGS_KEYS = ["folder", "templates_folder", "attachmentFolderPath", "newLinkFormat", "types"]
_shaped = st.dictionaries(st.sampled_from(_SETTINGS_KEYS), _json, max_size=5)
_contents = st.one_of(
    st.binary(max_size=200),
    _json.map(lambda v: json.dumps(v).encode()),
    _shaped.map(lambda v: json.dumps(v).encode()),
)
_FILES = ["app.json", "templates.json", "types.json", TEMPLATER_DATA]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.dictionaries(st.sampled_from(_FILES), _contents, min_size=1))
def test_any_settings_files_give_a_config_never_an_exception(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes]
) -> None:
    root = tmp_path_factory.mktemp("v")
    for name, data in files.items():
        (root / ".obsidian" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / ".obsidian" / name).write_bytes(data)
    config = load_config(root)
    assert config.templates_folder is None or not config.templates_folder.startswith("/")
    assert config.new_link_format in ("shortest", "relative", "absolute")
    assert set(config.property_kinds.values()) <= {
        "text",
        "list",
        "number",
        "checkbox",
        "date",
        "datetime",
    }
    assert all(isinstance(n, str) and "\n" not in n for n in config.notices)
