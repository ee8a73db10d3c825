"""The hook as users run it: the real pre-commit, `try-repo` on this checkout, in a fresh git repo.

pre-commit comes from the test extra; the hook's own environment is built by
pre-commit with pip. The test is skipped only when git is missing, or when
that environment could not be built while the package index is unreachable;
any other failure fails it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import ROOT

DIRTY = (
    "A paragraph of a scraped article about the new ferry timetable, long enough to keep.\n"
    "\n"
    "Leave a Reply\n"
    "\n"
    "Your email address will not be published.\n"
)
FIXED = "A paragraph of a scraped article about the new ferry timetable, long enough to keep.\n"
PRE_COMMIT_ERROR = 3  # pre-commit's exit status for "an unexpected error" (e.g. pip failed)
CLEAN = "Nothing to remove here: one honest paragraph about the harbour, and that is all.\n"


def _index_reachable() -> bool:
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple")
    host = urlparse(index).hostname or "pypi.org"
    port = urlparse(index).port or 443
    try:
        with socket.create_connection((host, port), timeout=5):
            return True
    except OSError:
        return False


def _pre_commit() -> list[str]:
    try:
        import pre_commit  # noqa: F401  (the test extra installs it; `make test` does)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("pre-commit is missing: the test extra must install it")
        pytest.skip("pre-commit is not installed: run `make test`")
    return [sys.executable, "-m", "pre_commit"]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_fixes_dirty_files_and_passes_clean_ones(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout: try-repo needs one")
    command = _pre_commit()
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "test@example.com")
    _git(repo, "config", "user.name", "test")
    (repo / "dirty.txt").write_text(DIRTY)
    (repo / "clean.txt").write_text(CLEAN)
    _git(repo, "add", "dirty.txt", "clean.txt")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.pop("PRE_COMMIT_COLOR", None)

    def hook(*files: str) -> subprocess.CompletedProcess[str]:
        argv = [*command, "try-repo", str(ROOT), "cleaner", "--color", "never", "--files", *files]
        return subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, timeout=600)

    first = hook("dirty.txt", "clean.txt")
    if first.returncode == PRE_COMMIT_ERROR and not _index_reachable():
        pytest.skip("the package index is unreachable: pre-commit cannot build the hook environment")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repo / "dirty.txt").read_text() == FIXED
    assert (repo / "clean.txt").read_text() == CLEAN

    clean_only = hook("clean.txt")
    assert clean_only.returncode == 0, clean_only.stdout + clean_only.stderr
    assert (repo / "clean.txt").read_text() == CLEAN

    _git(repo, "add", "dirty.txt")
    second = hook("dirty.txt", "clean.txt")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
    assert (repo / "dirty.txt").read_text() == FIXED

    # An untracked file is invisible to pre-commit's own `git diff` check: the
    # hook's exit code alone must say that it rewrote the file.
    (repo / "new.md").write_text(DIRTY)
    untracked = hook("new.md")
    assert untracked.returncode == 1, untracked.stdout + untracked.stderr
    assert "Passed" not in untracked.stdout and "Failed" in untracked.stdout
    assert (repo / "new.md").read_text() == FIXED
