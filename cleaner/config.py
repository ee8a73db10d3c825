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
from cleaner.profile import read_profile

# What a folder walk picks up by default (in --format auto, *.jsonl and *.jsonl.gz too).
DEFAULT_INCLUDE = ("*.txt", "*.md", "*.text", "*.html", "*.htm")


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
    # longer one (a truncated or split repeat). A cut copy keeps its words
    # verbatim and scores 98-100 once its "..." is set aside; 95 still let
    # through a reworded call to action ("Choose the best ..." inside "We invite
    # you to choose the best ...").
    containment_threshold: float = 96.0
    # Blocks shorter than this (normalised characters) are never fuzzy-matched:
    # headings and list items look alike by design.
    min_fuzzy_chars: int = 50
    # Exact repeats shorter than this are kept ("Buy now" per product, a chorus)
    # unless drop_short_exact is set.
    min_exact_chars: int = 30
    drop_short_exact: bool = False
    # A text that recurs this many times, or whose skeleton (numbers and names
    # blanked) is shared by this many different lines, is the page's template
    # (a question put to every interviewee, a "Vote for <name>" per entry, a
    # recipe reused every day of a meal plan) and is kept. Scrapers duplicate a
    # paragraph once; a third copy is layout. 0 turns the guard off.
    template_min_repeats: int = 3
    # Pieces of a split repeat may be this short (normalised characters): below
    # min_fuzzy_chars a piece goes only when its neighbouring pieces together
    # rebuild the paragraph, which a heading or list item never does.
    min_piece_chars: int = 15
    # --- boilerplate ------------------------------------------------------
    boilerplate: bool = True
    # Ratio (0-100) at which a block matches a boilerplate phrase as a whole.
    phrase_threshold: float = 90.0
    # Phrase-list languages; "all" = every language shipped in cleaner/data.
    languages: tuple[str, ...] = ("all",)
    extra_phrases: tuple[str, ...] = ()
    # Boilerplate rules to switch off, by the part after "boilerplate:"
    # (a phrase category such as "cookie", or "nav-run", "footer-zone", "off-article" ...).
    disabled_rules: tuple[str, ...] = ()
    # Blocks matching one of these (same whole-block matching) are always kept.
    keep_phrases: tuple[str, ...] = ()
    # --- site boilerplate (a learned profile: normalised keys to remove) ---
    profile_keys: frozenset[str] = frozenset()
    # A profile file written by `cleaner learn`; in a config file, relative to that file.
    profile: str = ""
    # Learn a profile from the files of the run itself (a first counting pass) and apply it too.
    cross_file: bool = False
    # A block is site boilerplate when found in at least this many documents ...
    profile_min_docs: int = 3
    # ... and in at least this share of them.
    profile_min_share: float = 0.3
    # --- files --------------------------------------------------------------
    include: tuple[str, ...] = DEFAULT_INCLUDE
    # How inputs are read: "auto" (by suffix: .html/.htm are HTML), "text" or "html".
    format: str = "auto"
    # Who finds the article in an HTML page: "builtin" (rules), "learned" (the rules' candidates
    # judged by the shipped block model, experimental), or "trafilatura" (the cleaner[trafilatura] extra).
    extractor: str = "builtin"
    exclude: tuple[str, ...] = ()
    # Files larger than this are refused before they are read (a 2 GB log must
    # not exhaust memory); one 50 MB line still fits.
    max_file_bytes: int = 100_000_000
    # --- safety net -----------------------------------------------------------
    # A file that would lose more than this share of its (non-space) text is
    # left unchanged and reported: a wrong rule must not silently gut a corpus.
    # Naive scraped text of real pages legitimately loses up to ~94% (a short
    # article in a long page: measured on 88 news/blog pages, median 49%), so the
    # net sits above that; a rule that wipes a document out loses ~100%.
    max_removed_share: float = 0.97
    allow_heavy: bool = False

    def replace(self, **changes: Any) -> Config:
        return dataclasses.replace(self, **changes)


_FIELDS = {f.name: f for f in fields(Config)}
FORMATS = ("auto", "text", "html")
EXTRACTORS = ("builtin", "learned", "trafilatura")
_CHOICES = {"format": FORMATS, "extractor": EXTRACTORS}


def _coerce(name: str, value: Any, source: str) -> Any:
    default = getattr(Config(), name)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(default, int | float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return type(default)(value)
    elif isinstance(default, str):
        if name in _CHOICES:
            if value in _CHOICES[name]:
                return value
        elif isinstance(value, str):
            return value
    elif isinstance(default, tuple):
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
    kind = type(default).__name__ if not isinstance(default, tuple) else "list of strings"
    kind = "one of " + ", ".join(_CHOICES[name]) if name in _CHOICES else f"a {kind}"
    raise ConfigError(f"{source}: '{name}' must be {kind}, got {value!r}")


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
    config = config_from_mapping(data, str(path))
    if config.profile:
        # A profile named in a config file is relative to that file, wherever the command runs.
        config = with_profile(config, path.parent / config.profile)
    return config


def resolve_config(
    config_file: Path | None, start: Path | None, overrides: dict[str, Any], profile: Path | None = None
) -> Config:
    """The run's settings: ``config_file`` (else the one found above ``start``, else the
    current folder), then the flags in ``overrides`` (None: not given), then ``--profile``."""
    if config_file is None:
        start = start if start is not None and start.exists() else Path.cwd()
        config_file = find_config_file(start)
    config = load_config(config_file)
    changes = {k: v for k, v in overrides.items() if v is not None}
    config = config.replace(**changes) if changes else config
    if profile is not None:
        # --profile replaces a profile named in the config file; it is relative to where you are.
        config = with_profile(config.replace(profile_keys=frozenset()), profile)
    return config


def with_profile(config: Config, profile: Path) -> Config:
    """``config`` that also removes the blocks listed in the profile file ``profile``."""
    return config.replace(profile=str(profile), profile_keys=config.profile_keys | read_profile(profile))
