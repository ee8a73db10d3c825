"""Settings: one frozen ``Config``; packaged defaults, then the user's file, then flags.

The file is ``--config FILE``, else the nearest ``.cleaner.toml`` or
``pyproject.toml`` with a ``[tool.cleaner]`` table, looking upward from the
first path given. Keys may be written with dashes or underscores. An unknown
key is an error naming it: a typo must not silently fall back to a default.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from cleaner.errors import ConfigError


@dataclass(frozen=True)
class Config:
    # --- duplicates -------------------------------------------------------
    duplicates: bool = True
    # Ratio (0-100) at which two paragraphs of similar length are the same text.
    # 90 is what naive tools use and it deletes "Question 2"/"Question 3" and
    # paragraphs differing in one number; at 92, with the number/name guard on
    # top, lightly edited repeats (a few words changed in 300 characters score
    # 94-98) are still caught.
    near_threshold: float = 92.0
    # partial_ratio (0-100) at which a shorter block counts as contained in a
    # longer one (a truncated or split repeat).
    containment_threshold: float = 95.0
    # Blocks shorter than this (normalised characters) are never fuzzy-matched:
    # headings and list items look alike by design.
    min_fuzzy_chars: int = 50
    # Exact repeats shorter than this are kept ("Buy now" per product, a chorus)
    # unless drop_short_exact is set.
    min_exact_chars: int = 30
    drop_short_exact: bool = False
    # --- boilerplate ------------------------------------------------------
    boilerplate: bool = True
    # Ratio (0-100) at which a block matches a boilerplate phrase as a whole.
    phrase_threshold: float = 90.0
    languages: tuple[str, ...] = ("en",)
    extra_phrases: tuple[str, ...] = ()
    # Blocks matching one of these (same whole-block matching) are always kept.
    keep_phrases: tuple[str, ...] = ()
    # --- site boilerplate (a learned profile: normalised keys to remove) ---
    profile_keys: frozenset[str] = frozenset()
    # --- files --------------------------------------------------------------
    include: tuple[str, ...] = ("*.txt", "*.md", "*.text")
    exclude: tuple[str, ...] = ()
    # Files larger than this are refused before they are read (a 2 GB log must
    # not exhaust memory); one 50 MB line still fits.
    max_file_bytes: int = 100_000_000
    # --- safety net -----------------------------------------------------------
    # A file that would lose more than this share of its (non-space) text is
    # left unchanged and reported: a wrong rule must not silently gut a corpus.
    max_removed_share: float = 0.9
    allow_heavy: bool = False

    def replace(self, **changes: Any) -> Config:
        return dataclasses.replace(self, **changes)


_FIELDS = {f.name: f for f in fields(Config)}


def _coerce(name: str, value: Any, source: str) -> Any:
    default = getattr(Config(), name)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(default, int | float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return type(default)(value)
    elif isinstance(default, tuple):
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
    kind = type(default).__name__ if not isinstance(default, tuple) else "list of strings"
    raise ConfigError(f"{source}: '{name}' must be a {kind}, got {value!r}")


def config_from_mapping(values: dict[str, Any], source: str, base: Config | None = None) -> Config:
    changes = {}
    for raw_name, value in values.items():
        name = raw_name.replace("-", "_")
        if name not in _FIELDS:
            raise ConfigError(f"{source}: unknown key '{raw_name}'")
        changes[name] = _coerce(name, value, source)
        _check_range(name, changes[name], source)
    return (base or Config()).replace(**changes)


# (low, high) bounds of numeric keys whose out-of-range values would silently
# disable a safeguard (a share of 90 meaning 90% would switch the safety net off).
_RANGES: dict[str, tuple[float, float]] = {
    "max_removed_share": (0.0, 1.0),
    "max_file_bytes": (1, float("inf")),
}


def _check_range(name: str, value: Any, source: str) -> None:
    if name in _RANGES:
        low, high = _RANGES[name]
        if not low <= value <= high:
            raise ConfigError(f"{source}: '{name}' must be between {low:g} and {high:g}, got {value!r}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def find_config_file(start: Path) -> Path | None:
    """The nearest .cleaner.toml, or pyproject.toml with [tool.cleaner], above ``start``."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        dot = candidate / ".cleaner.toml"
        if dot.is_file():
            return dot
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "cleaner" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(path: Path | None) -> Config:
    """Config from one file (``None``: the packaged defaults)."""
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("cleaner", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.cleaner] must be a table")
    return config_from_mapping(data, str(path))
