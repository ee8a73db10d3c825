"""Golden cases: fixtures/<case>/input.* -> expected.txt, and expected.txt is a fixed point."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.config import load_config
from cleaner.files import decode
from cleaner.pipeline import clean_text

from .conftest import FIXTURES

CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and (p / "expected.txt").exists())


def _input_of(case: Path) -> Path:
    (found,) = [p for p in case.iterdir() if p.stem == "input"]
    return found


def _clean_bytes(data: bytes, case: Path) -> bytes:
    config_file = case / "config.toml"
    config = load_config(config_file if config_file.exists() else None)
    source = decode(data, str(case))
    return source.encode(clean_text(source.text, config).text)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path) -> None:
    expected = (case / "expected.txt").read_bytes()
    assert _clean_bytes(_input_of(case).read_bytes(), case) == expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_expected_is_fixed_point(case: Path) -> None:
    expected = (case / "expected.txt").read_bytes()
    assert _clean_bytes(expected, case) == expected
