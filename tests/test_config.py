from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.config import Config, config_from_mapping, find_config_file, load_config
from cleaner.errors import ConfigError


@pytest.mark.parametrize(
    ("values", "field", "expected"),
    [
        ({"near-threshold": 95}, "near_threshold", 95.0),
        ({"near_threshold": 91.5}, "near_threshold", 91.5),
        ({"min-fuzzy-chars": 40}, "min_fuzzy_chars", 40),
        ({"boilerplate": False}, "boilerplate", False),
        ({"extra-phrases": ["Follow us"]}, "extra_phrases", ("Follow us",)),
        ({"include": "*.txt"}, "include", ("*.txt",)),
    ],
)
def test_config_values(values: dict, field: str, expected: object) -> None:
    assert getattr(config_from_mapping(values, "test"), field) == expected


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"nope": 1}, "unknown key 'nope'"),
        ({"near-threshold": "x"}, "'near_threshold' must be a float"),
        ({"boilerplate": 1}, "'boilerplate' must be a bool"),
        ({"include": [1, 2]}, "'include' must be a list of strings"),
    ],
)
def test_config_errors(values: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_from_mapping(values, "test")


def test_nearest_config_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cleaner]\nnear-threshold = 97\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config_file(sub) == tmp_path / "pyproject.toml"
    assert load_config(find_config_file(sub)).near_threshold == 97
    (tmp_path / "a" / ".cleaner.toml").write_text("near-threshold = 93\n")
    assert load_config(find_config_file(sub)).near_threshold == 93


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    found = find_config_file(tmp_path)
    assert found is None or found.parent != tmp_path


def test_invalid_toml_names_file(tmp_path: Path) -> None:
    bad = tmp_path / ".cleaner.toml"
    bad.write_text("near-threshold = = 3\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)


def test_defaults() -> None:
    assert load_config(None) == Config()
