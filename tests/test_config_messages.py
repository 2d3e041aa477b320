"""kbtool.toml's tables are plain dataclasses that pydantic validates only when a file
has content: its messages stay those of the pydantic models the tables once were."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtool.config import ConfigError, LinksConfig, VaultConfig, build_config


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
