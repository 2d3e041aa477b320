"""kbtool.toml's tables are plain dataclasses that pydantic validates only when a file
has content: its messages stay those of the pydantic models the tables once were."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.config import ConfigError, LinksConfig, VaultConfig, build_config
from kbtool.config.plain import exactly_typed
from kbtool.config.validate import Invalid, validated


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"schema": 5},
            "'schema': Input should be a valid dictionary or instance of SchemaConfig (got 5)",
        ),
        ({"links": {"z": 1}}, "unknown key 'links.z'"),
        ({"schema": {"types": {"fact": {"fieldz": 1}}}}, "unknown key 'schema.types.fact.fieldz'"),
        (
            {"exclude": [""], "bogus": 1},
            "'exclude': exclude patterns must not be empty (got ['']) (and 1 more)",
        ),
        (
            {"rules": {"per-path-ignores": {"a": 3}}},
            "'rules.per-path-ignores.a': Input should be a valid list (got 3)",
        ),
        (
            {"links": {"generated_pages": [" / "]}},
            "'links.generated_pages': generated page prefixes must not be empty (got [' / '])",
        ),
    ],
)
def test_a_bad_table_is_named_as_before(
    tmp_path: Path, raw: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        build_config(tmp_path, raw, tmp_path / "kbtool.toml")
    assert str(caught.value) == f"{tmp_path / 'kbtool.toml'}: {message}"


def test_validated_settings_equal_the_same_settings_built_in_code(tmp_path: Path) -> None:
    raw = {"links": {"generated_pages": ["/Tags/"], "resolve_aliases": True}, "schema_": {}}
    settings = build_config(tmp_path, raw).settings
    assert settings == VaultConfig(
        links=LinksConfig(resolve_aliases=True, generated_pages=["tags/"])
    )
    assert build_config(tmp_path, {}).settings == VaultConfig()


WORDS = """a /Tags/ 90d 1w soon KB201 obsidian github error off fsrs fixed shortest text
list date Fact type/fact"""
TEXT = st.sampled_from(["", " x ", *WORDS.split()])
SCALAR = st.one_of(TEXT, st.booleans(), st.integers(-1, 2))
VALUE = st.one_of(
    SCALAR,
    st.lists(SCALAR, max_size=3),
    st.dictionaries(TEXT, st.one_of(SCALAR, st.lists(SCALAR, max_size=2)), max_size=2),
)


def _table(*keys: str, **nested: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    entries = st.one_of(st.tuples(st.sampled_from([*keys, "bogus"]), VALUE), *nested_pairs(nested))
    return st.lists(entries, max_size=4).map(dict)


def nested_pairs(nested: dict[str, st.SearchStrategy[object]]) -> list[st.SearchStrategy[object]]:
    return [st.tuples(st.just(key), strategy) for key, strategy in nested.items()]


TYPE_TABLE = _table("required", "tag", "fields")
RAW = _table(
    "name",
    "exclude",
    "site",
    schema=_table(
        "require_type",
        "fields",
        "required",
        "allowed",
        "title_matches_filename",
        types=st.dictionaries(TEXT, TYPE_TABLE, max_size=2),
    ),
    schema_=_table("require_type", "required"),
    rules=_table("select", "ignore", "severity", "per-path-ignores", "per_path_ignores"),
    links=_table(
        "resolve_aliases", "heading_slugs", "generated_pages", "folder_pages", "allow_unresolved"
    ),
    obsidian=_table("read_settings", "templates_folder", "attachment_folder", "new_link_format"),
    review=_table("mode", "default_interval", "intervals"),
)


@settings(max_examples=400, deadline=None)
@given(RAW)
def test_settings_read_without_pydantic_are_pydantics(raw: dict[str, Any]) -> None:
    """Where the plain reader takes a file, pydantic would have given the same settings;
    where pydantic refuses it, the plain reader leaves it to pydantic."""
    plain = exactly_typed(VaultConfig, raw)
    try:
        checked = validated(VaultConfig, raw)
    except Invalid:
        assert plain is None
        return
    assert plain is None or plain == checked


def test_the_sample_vaults_file_is_read_without_pydantic() -> None:
    raw = tomllib.loads((Path(__file__).parents[1] / "vault" / "kbtool.toml").read_text("utf-8"))
    plain = exactly_typed(VaultConfig, raw)
    assert plain is not None and plain == validated(VaultConfig, raw)
    assert plain.schema_.types["Fact"].tag == "type/fact"
