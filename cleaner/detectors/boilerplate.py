"""Page furniture recognised by its wording: whole-block matches against phrase lists.

Phrases live in ``cleaner/data/<language>/<category>.txt``. A block is
boilerplate when its *whole* normalised text matches a phrase (RapidFuzz ratio
at or above ``phrase_threshold``), never because a phrase occurs inside it:
"Leave a reply:" hits, a paragraph about leaving a reply does not.

``comment-debris`` is special: those short lines ("*", "Name *", "Website")
are removed only in the footer zone that a comment-form marker opens, because
on their own they may be real text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

from cleaner.blocks import Block
from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.errors import ConfigError
from cleaner.normalize import make_key, strip_edges

DEBRIS = "comment-debris"
ZONE_OPENERS = frozenset({"comment-form"})
RULE_FOOTER = "boilerplate:footer-zone"
# Phrases this short must match exactly: one changed letter is another word.
EXACT_ONLY_CHARS = 10


def phrase_key(text: str) -> str:
    return strip_edges(make_key(text))


@dataclass(frozen=True)
class PhraseBook:
    """Phrase keys of one kind, with the category each came from."""

    categories: dict[str, str]  # key -> category

    @property
    def longest(self) -> int:
        return max(map(len, self.categories), default=0)

    def match(self, key: str, threshold: float) -> tuple[str, float] | None:
        if not key or len(key) > self.longest * 1.25:
            return None
        if key in self.categories:
            return self.categories[key], 100.0
        if len(key) <= EXACT_ONLY_CHARS:
            return None
        found = process.extractOne(
            key,
            [k for k in self.categories if len(k) > EXACT_ONLY_CHARS],
            scorer=fuzz.ratio,
            score_cutoff=threshold,
        )
        if found is None:
            return None
        return self.categories[found[0]], float(found[1])


def _read_phrases(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def packaged_phrases(language: str) -> tuple[tuple[str, str], ...]:
    """(category, phrase) pairs shipped for ``language``; read once, never mutated."""
    folder = resources.files("cleaner") / "data" / language
    if not folder.is_dir():
        raise ConfigError(f"no phrase lists for language '{language}'")
    pairs: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            category = entry.name.removesuffix(".txt")
            pairs.extend((category, p) for p in _read_phrases(entry.read_text("utf-8")))
    return tuple(pairs)


def build_books(config: Config) -> tuple[PhraseBook, PhraseBook]:
    """(markers, debris) for the configured languages and extra phrases."""
    return _books(config.languages, config.extra_phrases)


@cache
def _books(languages: tuple[str, ...], extra: tuple[str, ...]) -> tuple[PhraseBook, PhraseBook]:
    markers: dict[str, str] = {}
    debris: dict[str, str] = {}
    for language in languages:
        for category, phrase in packaged_phrases(language):
            target = debris if category == DEBRIS else markers
            target.setdefault(phrase_key(phrase), category)
    for phrase in extra:
        markers.setdefault(phrase_key(phrase), "custom")
    return PhraseBook(markers), PhraseBook(debris)


def _is_symbols(key: str) -> bool:
    return bool(key) and not any(ch.isalnum() for ch in key)


def detect_boilerplate(blocks: Sequence[Block], config: Config) -> list[Decision]:
    markers, debris = build_books(config)
    decisions = []
    in_footer_zone = False
    for block in blocks:
        key = phrase_key(block.key)
        hit = markers.match(key, config.phrase_threshold)
        if hit:
            category, score = hit
            decisions.append(Decision(block, f"boilerplate:{category}", score))
            in_footer_zone = in_footer_zone or category in ZONE_OPENERS
            continue
        if in_footer_zone:
            small = debris.match(key, config.phrase_threshold)
            if small or _is_symbols(block.key):
                decisions.append(Decision(block, RULE_FOOTER, small[1] if small else 100.0))
                continue
            in_footer_zone = False
    return decisions
