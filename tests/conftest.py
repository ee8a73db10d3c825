from __future__ import annotations

import os
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


def dead_pid() -> int:
    """A process id that no process has right now (as a killed run's would be)."""
    pid = 4_000_000  # rarely in use; checked anyway
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            pass
        pid += 1
