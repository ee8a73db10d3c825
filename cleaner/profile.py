"""The site profile file: one normalised block per line, sorted, ``#`` for comments.

Read by the settings (``profile = ...``, ``--profile``) and written by ``cleaner learn``;
it knows nothing of detectors, so ``config`` can read it without importing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cleaner.errors import ConfigError
from cleaner.normalize import make_key, strip_edges

PROFILE_HEADER = "# cleaner site profile: one normalised block per line; lines starting with # are comments\n"


def _escape(key: str) -> str:
    # A key that starts like a comment (or like an escape) gets a backslash in front.
    return "\\" + key if key.startswith(("#", "\\")) else key


def format_profile(keys: Sequence[str], note: str = "") -> str:
    """The profile file's text: the header, an optional ``note`` comment, then the keys sorted."""
    comment = "".join(f"# {line}\n" for line in note.splitlines())
    return PROFILE_HEADER + comment + "".join(f"{_escape(key)}\n" for key in sorted(keys))


def parse_profile(text: str) -> frozenset[str]:
    """The keys of a profile's text: comments and blank lines skipped, escapes undone.

    Each line is normalised again, so a line added by hand ("Share this:") works as written.
    """
    lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    keys = (strip_edges(make_key(line[1:] if line.startswith("\\") else line)) for line in lines)
    return frozenset(key for key in keys if key)


def read_profile(path: Path) -> frozenset[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read profile: {exc}") from exc
    return parse_profile(text)
