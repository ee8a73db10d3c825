"""Golden cases: fixtures/<case>/input.* -> expected.txt, and expected.txt is a fixed point."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.config import Config, load_config
from cleaner.files import decode
from cleaner.pipeline import clean_text
from cleaner.runner import clean_html

from .conftest import FIXTURES

CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and (p / "expected.txt").exists())


def _input_of(case: Path) -> Path:
    (found,) = [p for p in case.iterdir() if p.stem == "input"]
    return found


def _config(case: Path) -> Config:
    config_file = case / "config.toml"
    return load_config(config_file if config_file.exists() else None)


def _clean_bytes(data: bytes, case: Path) -> bytes:
    source = decode(data, str(case))
    return source.encode(clean_text(source.text, _config(case)).text)


def _clean_input(path: Path, case: Path) -> bytes:
    """An input.html case is extracted first (its text is written as UTF-8), then cleaned."""
    if path.suffix in (".html", ".htm"):
        source, result = clean_html(path.read_bytes(), str(path), _config(case))
        return source.encode(result.text)
    return _clean_bytes(path.read_bytes(), case)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path) -> None:
    expected = (case / "expected.txt").read_bytes()
    assert _clean_input(_input_of(case), case) == expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_expected_is_fixed_point(case: Path) -> None:
    expected = (case / "expected.txt").read_bytes()
    assert _clean_bytes(expected, case) == expected
