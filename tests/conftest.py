from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder with an empty .cleaner.toml, so the repo's own settings never leak in."""
    (tmp_path / ".cleaner.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    return tmp_path
