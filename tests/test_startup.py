"""A hook starts cleaner on every commit: a run on one text file imports no heavy or unused library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LAZY = ("rich", "json", "pathspec", "concurrent.futures", "multiprocessing", "bs4", "lxml")

PROBE = """
import sys
from cleaner.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(name for name in {lazy!r} if name in sys.modules))
"""


def test_one_small_file_imports_nothing_it_does_not_use(isolated: Path) -> None:
    page = isolated / "page.txt"
    page.write_text("A paragraph of text.\n\nLeave a Reply\n")
    probe = PROBE.format(lazy=LAZY)
    found = subprocess.run(
        [sys.executable, "-c", probe, "clean", str(page)], capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == []
    assert page.read_text() == "A paragraph of text.\n"  # and it did the work
